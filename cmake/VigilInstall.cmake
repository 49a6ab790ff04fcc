# Install rules, the CMake package (vigilConfig.cmake), pkg-config (vigil.pc)
# and the Debian packages (CPack), following RE2, LevelDB and Abseil on
# Debian: libvigil0 (runtime), libvigil-dev (headers, links, CMake and
# pkg-config files, the C++ archives), vigil-tools (the CLI) and
# python3-vigil (the ctypes package, using libvigil0's library).
include(CMakePackageConfigHelpers)

set(VIGIL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/vigil)
set(VIGIL_PYTHON_INSTALL_DIR lib/python3/dist-packages CACHE STRING
    "Where python3-vigil's package goes, under the prefix (Debian's layout)")
set(VIGIL_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/libvigil-dev)

# The C library: vigil::vigil. Only vigil/vigil.h and the generated
# vigil/vigil_version.h; no protobuf or Abseil reaches the host.
set_target_properties(vigil_c PROPERTIES EXPORT_NAME vigil)
install(TARGETS vigil_c EXPORT vigilTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    COMPONENT runtime NAMELINK_COMPONENT dev)
install(FILES ${PROJECT_SOURCE_DIR}/include/vigil/vigil.h
              ${VIGIL_GENERATED_INCLUDE_DIR}/vigil/vigil_version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/vigil COMPONENT dev)

# The C++ library: vigil::vigil_cpp, the engine's archives. Its headers use
# the generated vigil/v1/*.pb.h, so a host must use the same protobuf
# (Debian's) and Abseil; the .proto files come with them.
add_library(vigil_cpp INTERFACE)
target_link_libraries(vigil_cpp INTERFACE vigil_core)
install(TARGETS vigil_cpp vigil_core vigil_proto vigil_kernels vigil_version
  EXPORT vigilCppTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/vigil
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
  FILES_MATCHING PATTERN "*.h" PATTERN "vigil.h" EXCLUDE)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/proto/vigil/v1
                  ${PROJECT_BINARY_DIR}/proto/vigil/v1
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/vigil COMPONENT dev
  FILES_MATCHING PATTERN "*.proto" PATTERN "*.pb.h")

install(EXPORT vigilTargets NAMESPACE vigil:: DESTINATION ${VIGIL_CMAKE_DIR}
  COMPONENT dev)
install(EXPORT vigilCppTargets NAMESPACE vigil:: DESTINATION ${VIGIL_CMAKE_DIR}
  COMPONENT dev)
# The same package from the build tree (CMAKE_PREFIX_PATH=<build dir>).
export(EXPORT vigilTargets NAMESPACE vigil::
  FILE ${PROJECT_BINARY_DIR}/vigilTargets.cmake)
export(EXPORT vigilCppTargets NAMESPACE vigil::
  FILE ${PROJECT_BINARY_DIR}/vigilCppTargets.cmake)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/vigilConfig.cmake.in
  ${PROJECT_BINARY_DIR}/vigilConfig.cmake
  INSTALL_DESTINATION ${VIGIL_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/vigilConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/vigilConfig.cmake
              ${PROJECT_BINARY_DIR}/vigilConfigVersion.cmake
  DESTINATION ${VIGIL_CMAKE_DIR} COMPONENT dev)

# pkg-config: the C library.
file(RELATIVE_PATH VIGIL_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" VIGIL_PC_TO_PREFIX "${VIGIL_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/vigil.pc.in
               ${PROJECT_BINARY_DIR}/vigil.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/vigil.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)

# The tool and its manual page.
install(TARGETS vigil_tool RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  COMPONENT tools)
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/debian)
execute_process(COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/docs/vigil.1
  OUTPUT_FILE ${PROJECT_BINARY_DIR}/debian/vigil.1.gz)
install(FILES ${PROJECT_BINARY_DIR}/debian/vigil.1.gz
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT tools)

# The Python package, without a copy of the library: its loader finds
# libvigil.so.0 on the system's library path.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/bindings/python/vigil
  DESTINATION ${VIGIL_PYTHON_INSTALL_DIR} COMPONENT python
  FILES_MATCHING PATTERN "*.py" PATTERN "py.typed"
  PATTERN "__pycache__" EXCLUDE)

# Documentation, examples and the licence. Debian keeps a package's
# licence in /usr/share/doc/<package>/copyright.
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
              ${PROJECT_SOURCE_DIR}/NOTICE
  DESTINATION ${VIGIL_DOC_DIR} COMPONENT dev)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/
  DESTINATION ${VIGIL_DOC_DIR} COMPONENT dev)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples
  DESTINATION ${VIGIL_DOC_DIR} COMPONENT dev
  PATTERN "__pycache__" EXCLUDE)
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/debian)
foreach(pair "runtime;libvigil0" "dev;libvigil-dev" "tools;vigil-tools"
        "python;python3-vigil")
  list(GET pair 0 component)
  list(GET pair 1 package)
  install(FILES ${PROJECT_SOURCE_DIR}/cmake/debian-copyright
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package}
    RENAME copyright COMPONENT ${component})
  # Debian's changelog.Debian.gz, one entry per version (gzip -n: the same
  # bytes every build).
  set(PACKAGE ${package})
  set(VERSION ${PROJECT_VERSION})
  configure_file(${PROJECT_SOURCE_DIR}/cmake/debian/changelog.in
                 ${PROJECT_BINARY_DIR}/debian/${package}/changelog.Debian @ONLY)
  execute_process(
    COMMAND gzip -9nc ${PROJECT_BINARY_DIR}/debian/${package}/changelog.Debian
    OUTPUT_FILE ${PROJECT_BINARY_DIR}/debian/${package}/changelog.Debian.gz)
  install(FILES ${PROJECT_BINARY_DIR}/debian/${package}/changelog.Debian.gz
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package} COMPONENT ${component})
endforeach()

include(${PROJECT_SOURCE_DIR}/cmake/VigilPackaging.cmake)
