#!/bin/sh
# Installs a built mesos-actor into a temporary prefix and builds the out-of-tree
# consumer against it both ways: CMake find_package (shared and static targets) and
# pkg-config (mesos_actor_sim and mesos_actor_sim-static). Each program built runs the
# tour against an embedded simulator and must report the task FINISHED.
# usage: tests/consumer/run.sh BUILD_DIR   (a configured and built tree; RelWithDebInfo is fine)
set -eu
if [ $# -ne 1 ] || [ ! -f "$1/CMakeCache.txt" ]; then
  echo "usage: $0 BUILD_DIR (a configured and built mesos-actor build tree)" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/mesos-actor-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
jobs=$(nproc 2>/dev/null || echo 2)
launcher=""
if command -v ccache >/dev/null 2>&1; then launcher=ccache; fi

fail() { echo "consumer: $*" >&2; exit 1; }

echo "consumer: cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log" >&2; fail "install failed"; }

libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$build/CMakeCache.txt")
for f in bin/mesos-actor \
         include/mesos_actor/version.hpp include/mesos_actor/scheduler.hpp include/mesos_actor/sim/cluster.hpp \
         include/supervisor/supervisor.hpp include/mesos_actor/proto/mesos/v1/scheduler/scheduler.pb.h \
         "$libdir/libmesos_actor.a" "$libdir/libmesos_actor.so" "$libdir/libmesos_actor_supervisor.a" \
         "$libdir/libmesos_actor_supervisor.so" "$libdir/libmesos_actor_sim.a" "$libdir/libmesos_actor_sim.so" \
         "$libdir/cmake/mesos_actor/mesos_actorConfig.cmake" "$libdir/cmake/mesos_actor/mesos_actorConfigVersion.cmake" \
         "$libdir/cmake/mesos_actor/FindCAF.cmake" "$libdir/pkgconfig/mesos_actor.pc" "$libdir/pkgconfig/mesos_actor-static.pc"; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
"$prefix/bin/mesos-actor" --help | grep -q "usage: mesos-actor" || fail "the installed mesos-actor tool does not run"

# run_tour NAME PROGRAM: the tour must see its task finish, within a bound.
run_tour() {
  status=0
  timeout 60 "$2" >"$work/$1.out" 2>&1 || status=$?
  [ "$status" -eq 0 ] || { cat "$work/$1.out" >&2; fail "$1 exited with status $status"; }
  grep -q "hello: TASK_FINISHED" "$work/$1.out" || { cat "$work/$1.out" >&2; fail "$1: no TASK_FINISHED"; }
  echo "consumer: $1 ran the tour: $(grep "^hello:" "$work/$1.out" | tr '\n' ' ')"
}

echo "consumer: CMake find_package(mesos_actor CONFIG REQUIRED COMPONENTS sim)"
cmake -S "$here" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER=$launcher} >"$work/cmake.log" 2>&1 \
  || { cat "$work/cmake.log" >&2; fail "consumer configure failed"; }
cmake --build "$work/cmake" -j"$jobs" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "consumer build failed"; }
ldd "$work/cmake/tour_shared" | grep -q "$prefix/.*libmesos_actor_sim.so" || fail "tour_shared does not use the installed shared library"
if ldd "$work/cmake/tour_static" | grep -q "libmesos_actor"; then fail "tour_static depends on a shared mesos_actor library"; fi
"$work/cmake/version_check" || fail "version_check failed"
run_tour cmake-shared "$work/cmake/tour_shared"
run_tour cmake-static "$work/cmake/tour_static"

echo "consumer: pkg-config mesos_actor_sim / mesos_actor_sim-static"
mkdir -p "$work/pc"
PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" make -s -f "$here/Makefile" OUT="$work/pc" CXX="${launcher:+$launcher }${CXX:-g++}" \
  >"$work/make.log" 2>&1 || { cat "$work/make.log" >&2; fail "pkg-config build failed"; }
if ldd "$work/pc/tour_pc_static" | grep -q "libmesos_actor"; then fail "tour_pc_static depends on a shared mesos_actor library"; fi
run_tour pkgconfig-shared "$work/pc/tour_pc_shared"
run_tour pkgconfig-static "$work/pc/tour_pc_static"
echo "consumer: all passed"
