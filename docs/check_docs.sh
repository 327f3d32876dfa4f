#!/bin/sh
# docs_complete: runs Doxygen over the public headers and fails when it warns, i.e.
# when a public symbol has no description or a doc comment is malformed.
# usage: docs/check_docs.sh DOXYGEN DOXYFILE WARNING_LOG
set -eu
doxygen=$1 doxyfile=$2 log=$3
rm -f "$log"
"$doxygen" "$doxyfile" >/dev/null
if [ ! -f "$log" ]; then
  echo "docs_complete: Doxygen wrote no warning log at $log" >&2
  exit 2
fi
count=$(grep -c . "$log" || true)
if [ "$count" -ne 0 ]; then
  echo "docs_complete: $count Doxygen warning line(s); every public symbol needs a /// description:" >&2
  cat "$log" >&2
  exit 1
fi
echo "docs_complete: no undocumented public symbol"
