#!/bin/sh
# The consumer test: mesos-actor used from another project in every way it can be.
#   1. BUILD_DIR (a built tree with the default static libraries) installed into a
#      temporary prefix: CMake find_package and pkg-config (--static) consumers.
#   2. The consumer taking the sources with add_subdirectory, with BUILD_SHARED_LIBS=ON
#      and MESOS_ACTOR_INSTALL=ON; that build, installed into a second prefix, is the
#      shared install: CMake find_package and pkg-config consumers again.
# Each program built runs the tour against an embedded simulator and must report the
# task FINISHED; the shared ones must use the shared libraries, the static ones none.
# usage: tests/consumer/run.sh BUILD_DIR   (configured with BUILD_SHARED_LIBS off, built)
set -eu
if [ $# -ne 1 ] || [ ! -f "$1/CMakeCache.txt" ]; then
  echo "usage: $0 BUILD_DIR (a configured and built mesos-actor build tree)" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/mesos-actor-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
jobs=$(nproc 2>/dev/null || echo 2)
launcher=""
if command -v ccache >/dev/null 2>&1; then launcher=ccache; fi

fail() { echo "consumer: $*" >&2; exit 1; }
if grep -q '^BUILD_SHARED_LIBS:BOOL=ON' "$build/CMakeCache.txt"; then
  fail "$build has BUILD_SHARED_LIBS=ON; the shared install comes from step 2"
fi
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$build/CMakeCache.txt")

# run_tour NAME PROGRAM: the tour must see its task finish, within a bound.
run_tour() {
  status=0
  timeout 60 "$2" >"$work/$1.out" 2>&1 || status=$?
  [ "$status" -eq 0 ] || { cat "$work/$1.out" >&2; fail "$1 exited with status $status"; }
  grep -q "hello: TASK_FINISHED" "$work/$1.out" || { cat "$work/$1.out" >&2; fail "$1: no TASK_FINISHED"; }
  echo "consumer: $1 ran the tour: $(grep "^hello:" "$work/$1.out" | tr '\n' ' ')"
}

# uses_shared NAME PROGRAM yes|no: whether PROGRAM loads a shared mesos_actor library.
uses_shared() {
  if ldd "$2" | grep -q "libmesos_actor"; then found=yes; else found=no; fi
  [ "$found" = "$3" ] || fail "$1: loads a shared mesos_actor library: $found, expected $3"
}

# cmake_consumer NAME DIR ARGS...: configures and builds the consumer project in DIR.
cmake_consumer() {
  name=$1 dir=$2
  shift 2
  cmake -S "$here" -B "$dir" -DCMAKE_BUILD_TYPE=Release ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER=$launcher} \
    "$@" >"$work/$name-configure.log" 2>&1 || { cat "$work/$name-configure.log" >&2; fail "$name: configure failed"; }
  cmake --build "$dir" -j"$jobs" >"$work/$name-build.log" 2>&1 || { cat "$work/$name-build.log" >&2; fail "$name: build failed"; }
  "$dir/version_check" || fail "$name: version_check failed"
}

# pc_consumer NAME PREFIX [STATIC=1]: the pkg-config Makefile against PREFIX.
pc_consumer() {
  name=$1 prefix=$2
  shift 2
  mkdir -p "$work/$name"
  PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" make -s -f "$here/Makefile" OUT="$work/$name" \
    CXX="${launcher:+$launcher }${CXX:-g++}" "$@" >"$work/$name.log" 2>&1 \
    || { cat "$work/$name.log" >&2; fail "$name: pkg-config build failed"; }
}

# --- 1. the static install ---------------------------------------------------------
static=$work/static
echo "consumer: cmake --install $build --prefix $static"
cmake --install "$build" --prefix "$static" >"$work/install-static.log" \
  || { cat "$work/install-static.log" >&2; fail "install failed"; }
for f in bin/mesos-actor \
         include/mesos_actor/version.hpp include/mesos_actor/scheduler.hpp include/mesos_actor/sim/cluster.hpp \
         include/supervisor/supervisor.hpp include/mesos_actor/proto/mesos/v1/scheduler/scheduler.pb.h \
         "$libdir/libmesos_actor.a" "$libdir/libmesos_actor_supervisor.a" "$libdir/libmesos_actor_sim.a" \
         "$libdir/cmake/mesos_actor/mesos_actorConfig.cmake" "$libdir/cmake/mesos_actor/mesos_actorConfigVersion.cmake" \
         "$libdir/cmake/mesos_actor/FindCAF.cmake" "$libdir/pkgconfig/mesos_actor.pc" "$libdir/pkgconfig/mesos_actor_sim.pc"; do
  [ -e "$static/$f" ] || fail "not installed: $f"
done
"$static/bin/mesos-actor" --help | grep -q "usage: mesos-actor" || fail "the installed mesos-actor tool does not run"

echo "consumer: CMake find_package(mesos_actor CONFIG REQUIRED COMPONENTS sim), static"
cmake_consumer cmake-static "$work/cmake-static" -DCMAKE_PREFIX_PATH="$static"
uses_shared cmake-static "$work/cmake-static/tour" no
run_tour cmake-static "$work/cmake-static/tour"

echo "consumer: pkg-config --static mesos_actor_sim"
pc_consumer pc-static "$static" STATIC=1
uses_shared pc-static "$work/pc-static/tour_pc" no
run_tour pkgconfig-static "$work/pc-static/tour_pc"

# --- 2. add_subdirectory, shared, and its install -----------------------------------
echo "consumer: add_subdirectory($source_dir), BUILD_SHARED_LIBS=ON"
# An empty build type (no optimisation): this step compiles the whole library again, and
# what it checks (targets, shared linking, the install) does not depend on the flags.
cmake_consumer subdirectory "$work/subdirectory" -DMESOS_ACTOR_SOURCE_DIR="$source_dir" \
  -DBUILD_SHARED_LIBS=ON -DMESOS_ACTOR_INSTALL=ON -DCMAKE_BUILD_TYPE=
uses_shared subdirectory "$work/subdirectory/tour" yes
run_tour subdirectory "$work/subdirectory/tour"

shared=$work/shared
echo "consumer: cmake --install (the add_subdirectory build) --prefix $shared"
cmake --install "$work/subdirectory" --prefix "$shared" >"$work/install-shared.log" \
  || { cat "$work/install-shared.log" >&2; fail "shared install failed"; }
for f in "$libdir/libmesos_actor.so" "$libdir/libmesos_actor_supervisor.so" "$libdir/libmesos_actor_sim.so"; do
  [ -e "$shared/$f" ] || fail "not installed: $f"
done

echo "consumer: CMake find_package(mesos_actor CONFIG REQUIRED COMPONENTS sim), shared"
cmake_consumer cmake-shared "$work/cmake-shared" -DCMAKE_PREFIX_PATH="$shared"
ldd "$work/cmake-shared/tour" | grep -q "$shared/.*libmesos_actor_sim.so" \
  || fail "cmake-shared: tour does not use the installed shared library"
run_tour cmake-shared "$work/cmake-shared/tour"

echo "consumer: pkg-config mesos_actor_sim, shared"
pc_consumer pc-shared "$shared"
ldd "$work/pc-shared/tour_pc" | grep -q "$shared/.*libmesos_actor_sim.so" \
  || fail "pc-shared: tour does not use the installed shared library"
run_tour pkgconfig-shared "$work/pc-shared/tour_pc"
echo "consumer: all passed"
