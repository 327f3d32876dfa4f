# Generates include/mesos_actor/version.hpp from project(VERSION) (the one source of
# truth) and puts it on mesos_actor's include path. Included right after the library.
set(MESOS_ACTOR_GENERATED_INCLUDE_DIR ${PROJECT_BINARY_DIR}/generated/include)
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.hpp.in
  ${MESOS_ACTOR_GENERATED_INCLUDE_DIR}/mesos_actor/version.hpp @ONLY)
target_include_directories(mesos_actor PUBLIC $<BUILD_INTERFACE:${MESOS_ACTOR_GENERATED_INCLUDE_DIR}>)
