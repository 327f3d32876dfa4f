#!/bin/sh
# Builds the libFuzzer targets with clang (ASan + UBSan + libFuzzer) and runs each for
# a bounded share of the time over a copy of its seed corpus: fuzz_event_stream
# (corpus/), fuzz_http_response (corpus_http/) and fuzz_resource_text
# (corpus_resources/) get a third each. Exits non-zero on any
# crash, leak, timeout or sanitizer report.
# usage: tests/fuzz/run.sh [total seconds, default 60]
#        FUZZ_BUILD_DIR overrides the build directory (default <repo>/build-fuzz).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
share=$(( (seconds + 2) / 3 ))

mkdir -p "$build"
CXX=clang++ cmake -S "$root" -B "$build" -DMESOS_ACTOR_FUZZ=ON \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1 || {
  cat "$build/configure.log" >&2
  exit 1
}
cmake --build "$build" --target fuzz_event_stream fuzz_http_response fuzz_resource_text -j2

work=$(mktemp -d)
artifacts=$build/fuzz-artifacts
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# fuzz <target> <seed corpus dir> <max_len>
fuzz() {
  corpus=$work/$1
  mkdir -p "$corpus"
  cp "$root/tests/fuzz/$2"/* "$corpus"/
  echo "$1: running for $share s over $(ls "$corpus" | wc -l) seed(s)"
  "$build/tests/fuzz/$1" -max_total_time="$share" -max_len="$3" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus"
  echo "$1: no crash, leak or sanitizer report in $share s"
}

fuzz fuzz_event_stream corpus 65536
fuzz fuzz_http_response corpus_http 4096
fuzz fuzz_resource_text corpus_resources 4096
