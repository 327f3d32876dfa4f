# Install rules and the exported CMake / pkg-config packages, as fmt does it: each library
# is installed as it was built, static or shared by BUILD_SHARED_LIBS (one kind per
# install; build and install twice for both). Installed:
#   lib/libmesos_actor.{a|so}             the library (with the generated Mesos protobuf code)
#   lib/libmesos_actor_supervisor.{a|so}  the OTP-style supervisor library
#   lib/libmesos_actor_sim.{a|so}         the Mesos simulator (sim/; component "sim")
# as the CMake targets mesos_actor::{mesos_actor,supervisor,sim} and the pkg-config
# modules mesos_actor and mesos_actor_sim.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(MESOS_ACTOR_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mesos_actor)
set(_ma_libraries mesos_actor_supervisor mesos_actor mesos_actor_sim)
if(BUILD_SHARED_LIBS)
  # The libraries find each other beside themselves wherever the prefix is (a program's
  # RUNPATH only covers its direct dependencies).
  set_target_properties(${_ma_libraries} PROPERTIES INSTALL_RPATH "$ORIGIN")
  set(MESOS_ACTOR_LIBRARY_KIND shared)
else()
  set(MESOS_ACTOR_LIBRARY_KIND static)
endif()

install(TARGETS ${_ma_libraries} EXPORT mesos_actor_targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libmesos_actor/include/ ${PROJECT_SOURCE_DIR}/sim/include/
  ${PROJECT_SOURCE_DIR}/supervisor/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(FILES ${MESOS_ACTOR_GENERATED_INCLUDE_DIR}/mesos_actor/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mesos_actor)
install(DIRECTORY ${PROJECT_BINARY_DIR}/libmesos_actor/gen/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mesos_actor/proto FILES_MATCHING PATTERN "*.pb.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libmesos_actor/proto/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/mesos_actor/proto FILES_MATCHING PATTERN "*.proto")
if(TARGET mesos-actor)
  if(BUILD_SHARED_LIBS)
    set_target_properties(mesos-actor PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
  endif()
  install(TARGETS mesos-actor RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)

# CMake package: the exported targets, a short config (finds the dependencies, CAF with
# the same FindCAF.cmake) and the version file.
install(EXPORT mesos_actor_targets NAMESPACE mesos_actor::
  FILE mesos_actor-targets.cmake DESTINATION ${MESOS_ACTOR_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/mesos_actorConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/mesos_actorConfig.cmake
  INSTALL_DESTINATION ${MESOS_ACTOR_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/mesos_actorConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/mesos_actorConfig.cmake
  ${PROJECT_BINARY_DIR}/package/mesos_actorConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/FindCAF.cmake
  DESTINATION ${MESOS_ACTOR_CMAKE_DIR})

# pkg-config: the files locate the prefix from their own place (${pcfiledir}), so an
# install with `cmake --install --prefix` elsewhere stays usable. A static install is
# linked with `pkg-config --static --libs`.
set(PC_PREFIX "\${pcfiledir}/..")
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  string(REPLACE "/" ";" _libdir_parts "${CMAKE_INSTALL_LIBDIR}")
  foreach(_part IN LISTS _libdir_parts)
    string(APPEND PC_PREFIX "/..")
  endforeach()
endif()
foreach(pc mesos_actor mesos_actor_sim)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in ${PROJECT_BINARY_DIR}/package/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/package/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
