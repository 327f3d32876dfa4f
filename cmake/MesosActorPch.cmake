# Precompiled headers: parsing CAF and the generated Mesos messages takes about half
# of a unit's compile time here (measured on scheduler_core.cpp: 4-5 s of 10-11 s),
# and CI builds the tree three times (release, ASan, TSan). Off: -DMESOS_ACTOR_PCH=OFF.
option(MESOS_ACTOR_PCH "Precompile CAF's and the Mesos messages' headers" ON)

# With ccache, a unit compiled with a precompiled header is cached only under this
# sloppiness (ccache's manual, "Precompiled headers").
if(MESOS_ACTOR_PCH AND CCACHE_PROGRAM AND CMAKE_CXX_COMPILER_LAUNCHER STREQUAL CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env
      CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
      ${CCACHE_PROGRAM})
endif()

# mesos_actor_precompile(<target> <header>...): <target>'s units get <header>s precompiled.
function(mesos_actor_precompile target)
  if(MESOS_ACTOR_PCH)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()
