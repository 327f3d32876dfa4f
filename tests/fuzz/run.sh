#!/bin/sh
# Builds the libFuzzer targets with clang (ASan + UBSan + libFuzzer) and runs each over a
# copy of its seed corpus: fuzz_event_stream (corpus/), fuzz_http_response (corpus_http/)
# and fuzz_resource_text (corpus_resources/). Exits non-zero on any crash, leak, timeout
# or sanitizer report; the input that failed is written to <build>/fuzz-artifacts/.
#
# usage: tests/fuzz/run.sh [total seconds, default 60]
#          Exploration: a random seed, a third of the time each. What it finds goes into
#          the seed corpus (and a unit test) once fixed.
#        tests/fuzz/run.sh --runs N [--seed S, default 1]
#          Reproducible (CI): N inputs each from seed S, so a run that passed once passes
#          again on the same sources instead of failing on whatever a random seed reaches.
#        FUZZ_BUILD_DIR overrides the build directory (default <repo>/build-fuzz).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
if [ "${1:-}" = "--runs" ]; then
  [ -n "${2:-}" ] || { echo "usage: $0 --runs N [--seed S]" >&2; exit 2; }
  bound="-runs=$2 -seed=1"
  what="$2 inputs from seed 1"
  if [ "${3:-}" = "--seed" ]; then
    [ -n "${4:-}" ] || { echo "usage: $0 --runs N [--seed S]" >&2; exit 2; }
    bound="-runs=$2 -seed=$4"
    what="$2 inputs from seed $4"
  fi
else
  seconds=${1:-60}
  share=$(( (seconds + 2) / 3 ))
  bound="-max_total_time=$share"
  what="$share s"
fi

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
  echo "$1: running $what over $(ls "$corpus" | wc -l) seed input(s)"
  # shellcheck disable=SC2086 # $bound is two options or one
  "$build/tests/fuzz/$1" $bound -max_len="$3" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus"
  echo "$1: no crash, leak or sanitizer report in $what"
}

fuzz fuzz_event_stream corpus 65536
fuzz fuzz_http_response corpus_http 4096
fuzz fuzz_resource_text corpus_resources 4096
