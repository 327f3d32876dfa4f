#!/bin/sh
# Builds the libFuzzer targets with clang (ASan + UBSan + libFuzzer) and runs
# fuzz_event_stream for a bounded time over a copy of the seed corpus. Exits non-zero
# on any crash, leak, timeout or sanitizer report.
# usage: tests/fuzz/run.sh [seconds, default 60]
#        FUZZ_BUILD_DIR overrides the build directory (default <repo>/build-fuzz).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}

mkdir -p "$build"
CXX=clang++ cmake -S "$root" -B "$build" -DMESOS_ACTOR_FUZZ=ON \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1 || {
  cat "$build/configure.log" >&2
  exit 1
}
cmake --build "$build" --target fuzz_event_stream -j2

corpus=$(mktemp -d)
artifacts=$build/fuzz-artifacts
trap 'rm -rf "$corpus"' EXIT
mkdir -p "$artifacts"
cp "$root"/tests/fuzz/corpus/* "$corpus"/

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
echo "fuzz_event_stream: running for $seconds s over $(ls "$corpus" | wc -l) seed(s)"
"$build/tests/fuzz/fuzz_event_stream" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus"
echo "fuzz_event_stream: no crash, leak or sanitizer report in $seconds s"
