# Static Abseil and protobuf for the `vigil` tool (issue 19). Scripts and
# notebooks run the tool in loops; with Debian's shared Abseil and protobuf
# the dynamic loader's work (38 libraries, their relocations and protobuf's
# start-up) cost more CPU than most commands. libvigil.so and the tests keep
# the shared libraries.
#
# vigil_link_static(<executable> <static-library-target>)
#
# Links <executable> to the archive of <static-library-target>, the archives
# of the Vigil libraries it depends on, and the static archive (.a) of each
# Abseil and protobuf library in their link interface in place of the shared
# one that the imported target names. Vigil's libraries are linked as files,
# not as targets, so that their usage requirements (the shared libraries) do
# not follow them; their include directories are added instead. Everything
# sits in one --start-group ... --end-group: the order does not matter.
#
# Only one copy of the generated protobuf code and of libprotobuf ends up in
# the executable (it links no shared library that holds either), so the
# descriptor pool sees each .proto file once.

# Visits `item` and the link interface below it; fills the global
# properties VIGIL_STATIC_ARCHIVES, VIGIL_STATIC_TARGETS and
# VIGIL_STATIC_OTHERS.
function(_vigil_static_visit item)
  if(item MATCHES "^\\$<LINK_ONLY:(.*)>$")
    set(item "${CMAKE_MATCH_1}")
  endif()
  if(item STREQUAL "" OR item MATCHES "^\\$<")
    return()  # An empty or platform-only generator expression.
  endif()
  get_property(seen GLOBAL PROPERTY VIGIL_STATIC_SEEN)
  if(item IN_LIST seen)
    return()
  endif()
  set_property(GLOBAL APPEND PROPERTY VIGIL_STATIC_SEEN "${item}")
  if(NOT TARGET "${item}")
    # A linker flag or a plain library (-latomic, -Wl,--as-needed, m).
    set_property(GLOBAL APPEND PROPERTY VIGIL_STATIC_OTHERS "${item}")
    return()
  endif()
  get_target_property(imported "${item}" IMPORTED)
  get_target_property(type "${item}" TYPE)
  if(NOT imported)
    if(NOT type STREQUAL "STATIC_LIBRARY")
      message(FATAL_ERROR "vigil_link_static: ${item} is not a static library")
    endif()
    set_property(GLOBAL APPEND PROPERTY VIGIL_STATIC_ARCHIVES
                 "$<TARGET_FILE:${item}>")
    set_property(GLOBAL APPEND PROPERTY VIGIL_STATIC_TARGETS "${item}")
  elseif(type STREQUAL "INTERFACE_LIBRARY")
    if(item MATCHES "^Threads::")
      set_property(GLOBAL APPEND PROPERTY VIGIL_STATIC_OTHERS "${item}")
      return()
    endif()
  else()
    set(location "")
    foreach(property IMPORTED_LOCATION_NONE IMPORTED_LOCATION_RELEASE
                     IMPORTED_LOCATION)
      get_target_property(location "${item}" ${property})
      if(location)
        break()
      endif()
    endforeach()
    string(REGEX REPLACE "\\.so(\\.[0-9.]+)?$" ".a" archive "${location}")
    if(NOT EXISTS "${archive}")
      message(FATAL_ERROR "vigil_link_static: no static archive for ${item} "
                          "(${location}); install the -dev package")
    endif()
    set_property(GLOBAL APPEND PROPERTY VIGIL_STATIC_ARCHIVES "${archive}")
  endif()
  get_target_property(deps "${item}" INTERFACE_LINK_LIBRARIES)
  if(deps)
    foreach(dep IN LISTS deps)
      _vigil_static_visit("${dep}")
    endforeach()
  endif()
endfunction()

function(vigil_link_static executable library)
  foreach(property SEEN ARCHIVES TARGETS OTHERS)
    set_property(GLOBAL PROPERTY VIGIL_STATIC_${property} "")
  endforeach()
  _vigil_static_visit(${library})
  get_property(archives GLOBAL PROPERTY VIGIL_STATIC_ARCHIVES)
  get_property(targets GLOBAL PROPERTY VIGIL_STATIC_TARGETS)
  get_property(others GLOBAL PROPERTY VIGIL_STATIC_OTHERS)
  # libprotobuf.a needs zlib (gzip streams), as the shared one does.
  find_package(ZLIB REQUIRED)
  target_include_directories(${executable} PRIVATE
    $<TARGET_PROPERTY:${library},INTERFACE_INCLUDE_DIRECTORIES>)
  target_link_libraries(${executable} PRIVATE
    -Wl,--start-group ${archives} -Wl,--end-group ${others} ZLIB::ZLIB)
  add_dependencies(${executable} ${targets})
endfunction()
