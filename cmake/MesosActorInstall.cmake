# Install rules and the exported CMake / pkg-config packages (fmt style).
#
# The in-tree libraries (supervisor, mesos_actor + mesos_actor_proto, mesos_actor_sim)
# are built once. The installed libraries are re-linked from those same object files,
# in both forms, so a consumer can pick either without a second build:
#   lib/libmesos_actor.{so,a}             the library (with the generated Mesos protobuf code)
#   lib/libmesos_actor_supervisor.{so,a}  the OTP-style supervisor library
#   lib/libmesos_actor_sim.{so,a}         the Mesos simulator (sim/; component "sim")
# Exported targets: mesos_actor::{mesos_actor,supervisor,sim}_{shared,static}, plus the
# plain names mesos_actor::{mesos_actor,supervisor,sim} made by mesos_actorConfig.cmake,
# which point at the shared variant unless MESOS_ACTOR_USE_STATIC_LIBS is ON.
#
# Every link dependency of an installed library is derived from the in-tree target, so a
# dependency added to libmesos_actor/CMakeLists.txt reaches the packages without an edit
# here, or stops the configure with a message when nobody taught this file to find it.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

option(MESOS_ACTOR_INSTALL_SHARED "Install shared libraries" ON)
option(MESOS_ACTOR_INSTALL_STATIC "Install static libraries" ON)
if(NOT MESOS_ACTOR_INSTALL_SHARED AND NOT MESOS_ACTOR_INSTALL_STATIC)
  message(FATAL_ERROR "MESOS_ACTOR_INSTALL_SHARED and MESOS_ACTOR_INSTALL_STATIC are both OFF")
endif()

set(MESOS_ACTOR_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mesos_actor)
set(MESOS_ACTOR_PROTO_INCLUDE_DIR ${CMAKE_INSTALL_INCLUDEDIR}/mesos_actor/proto)

# Components: in-tree target, installed base name (lib<name>), exported base name,
# extra object libraries folded into it.
set(_ma_components supervisor mesos_actor)
set(_ma_supervisor_output mesos_actor_supervisor)
set(_ma_supervisor_export supervisor)
set(_ma_mesos_actor_output mesos_actor)
set(_ma_mesos_actor_export mesos_actor)
set(_ma_mesos_actor_folded mesos_actor_proto)
list(APPEND _ma_components mesos_actor_sim)
set(_ma_mesos_actor_sim_output mesos_actor_sim)
set(_ma_mesos_actor_sim_export sim)

# Dependencies met by a component of ours ("" = folded in: its usage is restated below).
set(_ma_rename_supervisor supervisor)
set(_ma_rename_mesos_actor::supervisor supervisor)
set(_ma_rename_mesos_actor mesos_actor)
set(_ma_rename_mesos_actor::mesos_actor mesos_actor)

# Per external dependency: how the CMake config finds it (_ma_find_<dep>) and what the
# pkg-config file says (_ma_pc_requires_<dep> or _ma_pc_libs_<dep>).
set(_ma_config_finds "")
set(_ma_pc_requires_public "")
set(_ma_pc_requires_private "")
set(_ma_pc_libs_public "")
set(_ma_pc_libs_private "")

# _ma_note_dependency(<dep> <public|private>): records how a consumer gets <dep>.
function(_ma_note_dependency dep scope)
  set(find "")
  set(requires "")
  set(libs "")
  if(dep MATCHES "^CAF::(core|io)$")
    set(find "find_dependency(CAF)")
    set(libs "-lcaf_io -lcaf_core") # CAF 0.17 ships no pkg-config file
  elseif(dep STREQUAL "Threads::Threads")
    set(find "find_dependency(Threads)")
    set(libs "-pthread")
  elseif(dep MATCHES "^protobuf::")
    set(find "find_dependency(Protobuf)")
    set(requires "protobuf")
  elseif(dep MATCHES "^OpenSSL::")
    set(find "find_dependency(OpenSSL)")
    set(requires "openssl")
  elseif(dep MATCHES "^PkgConfig::(.+)$")
    set(prefix ${CMAKE_MATCH_1})
    if(NOT ${prefix}_MODULE_NAME)
      message(FATAL_ERROR "packaging: no pkg-config module name recorded for ${dep}")
    endif()
    set(find "find_dependency(PkgConfig)\nif(NOT TARGET ${dep})\n  pkg_check_modules(${prefix} REQUIRED IMPORTED_TARGET ${${prefix}_MODULE_NAME})\nendif()")
    set(requires "${${prefix}_MODULE_NAME}")
  elseif(dep MATCHES "^/.*/lib([^/]+)\\.(so|a)(\\.[0-9.]+)?$")
    set(libs "-l${CMAKE_MATCH_1}") # a plain library file, e.g. from find_library
  elseif(dep MATCHES "^-l" OR dep MATCHES "^-pthread$")
    set(libs "${dep}")
  elseif(dep MATCHES "^[A-Za-z0-9_.+-]+$" AND NOT TARGET ${dep})
    set(libs "-l${dep}") # a bare library name such as zookeeper_mt
  else()
    message(FATAL_ERROR "packaging: cmake/MesosActorInstall.cmake does not know how an "
      "installed consumer finds the dependency '${dep}'; add a rule to _ma_note_dependency")
  endif()
  if(find)
    list(APPEND _ma_config_finds "${find}") # one list item per (possibly multi-line) block
    set(_ma_config_finds "${_ma_config_finds}" PARENT_SCOPE)
  endif()
  if(requires)
    set(_ma_pc_requires_${scope} "${_ma_pc_requires_${scope}} ${requires}" PARENT_SCOPE)
  endif()
  if(libs)
    set(_ma_pc_libs_${scope} "${_ma_pc_libs_${scope}} ${libs}" PARENT_SCOPE)
  endif()
endfunction()

# _ma_find_here(<dep>): makes an imported target found in a subdirectory visible here,
# with the same find command the installed config uses.
function(_ma_find_here dep)
  set(_ma_config_finds "")
  _ma_note_dependency(${dep} private)
  list(JOIN _ma_config_finds "\n" code)
  string(REGEX REPLACE "find_dependency\\(([A-Za-z]+)\\)" "find_package(\\1 REQUIRED)"
    code "${code}")
  cmake_language(EVAL CODE "${code}")
endfunction()

# _ma_split_dependencies(<target> <out_public> <out_private>): direct link dependencies
# of an in-tree target, split by what its users inherit.
function(_ma_split_dependencies target out_public out_private)
  get_target_property(all ${target} LINK_LIBRARIES)
  get_target_property(iface ${target} INTERFACE_LINK_LIBRARIES)
  if(NOT all)
    set(all "")
  endif()
  if(NOT iface)
    set(iface "")
  endif()
  # A static library lists its PRIVATE targets as $<LINK_ONLY:...> but its PRIVATE plain
  # library files unwrapped, so a plain file counts as private there: headers never
  # need one.
  get_target_property(type ${target} TYPE)
  set(pub "")
  foreach(d IN LISTS iface)
    if(d MATCHES "^\\$<LINK_ONLY:")
      continue()
    endif()
    if(type STREQUAL "STATIC_LIBRARY" AND NOT TARGET ${d} AND NOT d MATCHES "::")
      continue()
    endif()
    list(APPEND pub ${d})
  endforeach()
  set(priv "")
  foreach(d IN LISTS all)
    if(NOT d IN_LIST pub)
      list(APPEND priv ${d})
    endif()
  endforeach()
  set(${out_public} ${pub} PARENT_SCOPE)
  set(${out_private} ${priv} PARENT_SCOPE)
endfunction()

set(_ma_variants "")
if(MESOS_ACTOR_INSTALL_SHARED)
  list(APPEND _ma_variants shared)
endif()
if(MESOS_ACTOR_INSTALL_STATIC)
  list(APPEND _ma_variants static)
endif()

set(_ma_installed_targets "")
foreach(comp IN LISTS _ma_components)
  set(objects $<TARGET_OBJECTS:${comp}>)
  foreach(folded IN LISTS _ma_${comp}_folded)
    list(APPEND objects $<TARGET_OBJECTS:${folded}>)
  endforeach()
  _ma_split_dependencies(${comp} pub priv)
  foreach(folded IN LISTS _ma_${comp}_folded)
    _ma_split_dependencies(${folded} fpub fpriv)
    list(APPEND pub ${fpub})
    list(APPEND priv ${fpriv})
  endforeach()
  list(REMOVE_DUPLICATES pub)
  list(REMOVE_DUPLICATES priv)

  foreach(variant IN LISTS _ma_variants)
    set(tgt ma_pkg_${_ma_${comp}_export}_${variant})
    string(TOUPPER ${variant} type)
    add_library(${tgt} ${type} ${objects})
    set_target_properties(${tgt} PROPERTIES
      OUTPUT_NAME ${_ma_${comp}_output}
      EXPORT_NAME ${_ma_${comp}_export}_${variant}
      ARCHIVE_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/package/lib
      LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/package/lib
      VERSION ${PROJECT_VERSION}
      SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
    if(variant STREQUAL "shared")
      # The libraries find each other beside themselves wherever the prefix is (a
      # program's RUNPATH only covers its direct dependencies).
      set_target_properties(${tgt} PROPERTIES INSTALL_RPATH "$ORIGIN")
    endif()
    target_include_directories(${tgt} INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    target_compile_features(${tgt} INTERFACE cxx_std_17)
    foreach(scope pub priv)
      foreach(d IN LISTS ${scope})
        if(d IN_LIST _ma_${comp}_folded)
          continue()
        endif()
        if(DEFINED _ma_rename_${d})
          set(d ma_pkg_${_ma_rename_${d}}_${variant})
        elseif(d MATCHES "::" AND NOT TARGET ${d})
          _ma_find_here(${d}) # imported in a subdirectory: not visible here yet
        endif()
        if(scope STREQUAL "pub")
          target_link_libraries(${tgt} PUBLIC ${d})
        else()
          target_link_libraries(${tgt} PRIVATE ${d})
        endif()
      endforeach()
    endforeach()
    list(APPEND _ma_installed_targets ${tgt})
  endforeach()

  # What consumers of this component need (recorded once, from the library's view).
  if(comp STREQUAL "mesos_actor" OR comp STREQUAL "supervisor")
    foreach(d IN LISTS pub)
      if(NOT d IN_LIST _ma_${comp}_folded AND NOT DEFINED _ma_rename_${d})
        _ma_note_dependency(${d} public)
      endif()
    endforeach()
    foreach(d IN LISTS priv)
      if(NOT d IN_LIST _ma_${comp}_folded AND NOT DEFINED _ma_rename_${d})
        _ma_note_dependency(${d} private)
      endif()
    endforeach()
  else()
    # The simulator's own extra dependencies go to its own pkg-config file.
    set(_ma_saved_requires_private "${_ma_pc_requires_private}")
    set(_ma_saved_libs_private "${_ma_pc_libs_private}")
    set(_ma_pc_requires_private "")
    set(_ma_pc_libs_private "")
    foreach(d IN LISTS pub priv)
      if(NOT DEFINED _ma_rename_${d})
        _ma_note_dependency(${d} private)
      endif()
    endforeach()
    set(_ma_sim_requires_private "${_ma_pc_requires_private}")
    set(_ma_sim_libs_private "${_ma_pc_libs_private}")
    set(_ma_pc_requires_private "${_ma_saved_requires_private}")
    set(_ma_pc_libs_private "${_ma_saved_libs_private}")
  endif()
endforeach()
# The folded protobuf code needs protobuf from every consumer.
_ma_note_dependency(protobuf::libprotobuf public)
foreach(variant IN LISTS _ma_variants)
  target_include_directories(ma_pkg_mesos_actor_${variant} SYSTEM INTERFACE
    $<INSTALL_INTERFACE:${MESOS_ACTOR_PROTO_INCLUDE_DIR}>)
endforeach()

# Deduplicated, in first-seen order.
list(REMOVE_DUPLICATES _ma_config_finds)
list(JOIN _ma_config_finds "\n" _ma_config_finds)
foreach(v _ma_pc_requires_public _ma_pc_requires_private _ma_pc_libs_public _ma_pc_libs_private
          _ma_sim_requires_private _ma_sim_libs_private)
  string(STRIP "${${v}}" _s)
  separate_arguments(_items UNIX_COMMAND "${_s}")
  list(REMOVE_DUPLICATES _items)
  list(JOIN _items " " ${v})
endforeach()

# --- install rules -------------------------------------------------------------------
install(TARGETS ${_ma_installed_targets} EXPORT mesos_actor_targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libmesos_actor/include/ ${PROJECT_SOURCE_DIR}/sim/include/
  ${PROJECT_SOURCE_DIR}/supervisor/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(FILES ${MESOS_ACTOR_GENERATED_INCLUDE_DIR}/mesos_actor/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mesos_actor)
install(DIRECTORY ${PROJECT_BINARY_DIR}/libmesos_actor/gen/
  DESTINATION ${MESOS_ACTOR_PROTO_INCLUDE_DIR} FILES_MATCHING PATTERN "*.pb.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libmesos_actor/proto/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/mesos_actor/proto FILES_MATCHING PATTERN "*.proto")
if(TARGET mesos-actor)
  install(TARGETS mesos-actor RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)

# CMake package: targets, config (finds CAF with the same FindCAF.cmake), version.
install(EXPORT mesos_actor_targets NAMESPACE mesos_actor::
  FILE mesos_actor-targets.cmake DESTINATION ${MESOS_ACTOR_CMAKE_DIR})
set(MESOS_ACTOR_CONFIG_FINDS "${_ma_config_finds}")
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/mesos_actorConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/mesos_actorConfig.cmake
  INSTALL_DESTINATION ${MESOS_ACTOR_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/mesos_actorConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/mesos_actorConfig.cmake
  ${PROJECT_BINARY_DIR}/package/mesos_actorConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/FindCAF.cmake
  DESTINATION ${MESOS_ACTOR_CMAKE_DIR})

# pkg-config: mesos_actor / mesos_actor_sim link the shared libraries (and list in
# Libs.private / Requires.private what a static link adds); mesos_actor-static /
# mesos_actor_sim-static name the archives, so both can sit in one prefix.
# The files locate the prefix from their own place (${pcfiledir}), so an install with
# `cmake --install --prefix` elsewhere stays usable.
set(PC_PREFIX "\${pcfiledir}/..")
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  string(REPLACE "/" ";" _libdir_parts "${CMAKE_INSTALL_LIBDIR}")
  foreach(_part IN LISTS _libdir_parts)
    string(APPEND PC_PREFIX "/..")
  endforeach()
endif()
foreach(variant IN LISTS _ma_variants)
  if(variant STREQUAL "shared")
    set(PC_SUFFIX "")
    set(PC_OWN_LIBS "-L\${libdir} -lmesos_actor -lmesos_actor_supervisor")
    set(PC_SIM_OWN_LIBS "-L\${libdir} -lmesos_actor_sim")
    set(PC_REQUIRES "${_ma_pc_requires_public}")
    set(PC_REQUIRES_PRIVATE "${_ma_pc_requires_private}")
    set(PC_LIBS "${_ma_pc_libs_public}")
    set(PC_LIBS_PRIVATE "${_ma_pc_libs_private}")
    set(PC_SIM_REQUIRES_PRIVATE "${_ma_sim_requires_private}")
    set(PC_SIM_LIBS_PRIVATE "${_ma_sim_libs_private}")
    set(PC_SIM_REQUIRES_EXTRA "")
    set(PC_SIM_LIBS_EXTRA "")
  else()
    set(PC_SUFFIX "-static")
    set(PC_OWN_LIBS "\${libdir}/libmesos_actor.a \${libdir}/libmesos_actor_supervisor.a")
    set(PC_SIM_OWN_LIBS "\${libdir}/libmesos_actor_sim.a")
    string(STRIP "${_ma_pc_requires_public} ${_ma_pc_requires_private}" PC_REQUIRES)
    set(PC_REQUIRES_PRIVATE "")
    string(STRIP "${_ma_pc_libs_public} ${_ma_pc_libs_private}" PC_LIBS)
    set(PC_LIBS_PRIVATE "")
    set(PC_SIM_REQUIRES_PRIVATE "")
    set(PC_SIM_LIBS_PRIVATE "")
    set(PC_SIM_REQUIRES_EXTRA "${_ma_sim_requires_private}")
    set(PC_SIM_LIBS_EXTRA "${_ma_sim_libs_private}")
  endif()
  set(MESOS_ACTOR_PC_VARIANT ${variant})
  foreach(pc mesos_actor mesos_actor_sim)
    configure_file(${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in ${PROJECT_BINARY_DIR}/package/${pc}${PC_SUFFIX}.pc @ONLY)
    install(FILES ${PROJECT_BINARY_DIR}/package/${pc}${PC_SUFFIX}.pc
      DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
  endforeach()
endforeach()
