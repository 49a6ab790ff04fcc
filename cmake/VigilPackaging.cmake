# Debian packages: `cpack -G DEB` in a build directory writes
#   libvigil0_<version>_<arch>.deb       libvigil.so.0 and its versioned file
#   libvigil-dev_<version>_<arch>.deb    headers, libvigil.so, the C++
#                                        archives, CMake and pkg-config files
#   vigil-tools_<version>_<arch>.deb     the vigil command
#   python3-vigil_<version>_all.deb      the Python package (uses libvigil0)
# Shared-library dependencies come from dpkg-shlibdeps (package dpkg-dev).
# The version is project()'s.
set(CPACK_PACKAGE_NAME vigil)
set(CPACK_PACKAGE_VENDOR "The Vigil Authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "quality-rules engine for health-care commissioners")
set(CPACK_PACKAGE_CONTACT "The Vigil Authors <vigil@users.noreply.github.com>")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/vigil-health/vigil")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev tools python)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${CPACK_PACKAGE_CONTACT})
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libvigil0's shlibs file and an ldconfig trigger (not ldconfig in
# maintainer scripts, which CPack writes when it generates the shlibs).
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
file(WRITE ${PROJECT_BINARY_DIR}/debian/shlibs
     "libvigil ${PROJECT_VERSION_MAJOR} libvigil0 (>= ${PROJECT_VERSION})\n")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
    ${PROJECT_BINARY_DIR}/debian/shlibs
    ${PROJECT_SOURCE_DIR}/cmake/debian/triggers)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)

set(_vigil_exact "(= ${PROJECT_VERSION}-1)")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libvigil0)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "Vigil quality-rules engine - shared library\n Rates NHS providers' quality indicators (thresholds, trends, SPC,\n peer comparison, trajectories) for an Early Warning Dashboard. This\n package holds libvigil.so.0, the stable C API.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libvigil-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libvigil0 ${_vigil_exact}")
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "libprotobuf-dev, libabsl-dev")
set(CPACK_COMPONENT_DEV_DESCRIPTION
    "Vigil quality-rules engine - development files\n Headers (vigil/vigil.h for the C API; the C++ engine's headers and the\n vigil.v1 schema), the libvigil.so link, the C++ archives, and the CMake\n (find_package(vigil)) and pkg-config (vigil.pc) files. The C++ engine\n needs libprotobuf-dev and libabsl-dev; the C API needs nothing else.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME vigil-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION science)
set(CPACK_COMPONENT_TOOLS_DESCRIPTION
    "Vigil quality-rules engine - command-line tool\n The vigil command: an Early Warning Dashboard from a rule pack and data\n (CSV, JSON, protobuf), SPC and funnel-plot charts from CSV.")

set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME python3-vigil)
set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)
set(CPACK_DEBIAN_PYTHON_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS "python3, libvigil0 (>= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_PYTHON_PACKAGE_SUGGESTS "python3-pandas")
set(CPACK_COMPONENT_PYTHON_DESCRIPTION
    "Vigil quality-rules engine - Python 3 package\n The vigil module: engines, reports, SPC and funnel charts through\n libvigil0's C API (ctypes), with pandas DataFrames where given.")
unset(_vigil_exact)

include(CPack)
