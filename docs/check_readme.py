#!/usr/bin/env python3
"""readme_sync: keeps README.md honest about code it shows or describes.

1. A fenced block right after `<!-- file: PATH -->` must equal the file PATH (the
   five-minute tour is examples/tour.cpp, compiled and run by the example_tour test).
2. The table right after `<!-- options: STRUCT HEADER -->` must equal what
   docs/options_reference.py generates from HEADER: every data member of STRUCT with
   its default and its /// comment, nothing else.

usage: docs/check_readme.py [--fix] [REPO_ROOT]
  exit 1 with a list of problems; --fix rewrites the option tables from the headers.
"""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from options_reference import table  # noqa: E402

args = [a for a in sys.argv[1:] if a != "--fix"]
fix = "--fix" in sys.argv[1:]
root = Path(args[0] if args else Path(__file__).resolve().parent.parent)
readme_path = root / "README.md"
readme = readme_path.read_text()
problems = []

MARKER = re.compile(r"<!-- (file|options): ([^>]*?) -->\n")
TABLE = re.compile(r"(?:\|[^\n]*\n)+")


def check_file(arg, after):
    block = re.match(r"\n?```[a-z+]*\n(.*?)```", after, re.S)
    path = root / arg
    if not block:
        problems.append(f"README: no code block right after <!-- file: {arg} -->")
    elif not path.exists():
        problems.append(f"README: {arg} does not exist")
    elif block.group(1) != path.read_text():
        problems.append(f"README: the block after <!-- file: {arg} --> differs from {arg}")


out, pos, count = [], 0, 0
for marker in MARKER.finditer(readme):
    count += 1
    kind, arg = marker.group(1), marker.group(2).strip()
    after = readme[marker.end():]
    if kind == "file":
        check_file(arg, after)
        continue
    struct, header = arg.split()
    expected = table(root, struct, header)
    current = TABLE.match(after)
    if current and current.group(0) == expected:
        continue
    if fix:
        end = marker.end() + (current.end() if current else 0)
        out.append(readme[pos:marker.end()] + expected)
        pos = end
    else:
        problems.append(f"README: the {struct} table differs from {header} "
                        "(run docs/check_readme.py --fix)")

if count == 0:
    problems.append("README: no <!-- file: --> or <!-- options: --> markers found")
if fix and out:
    readme_path.write_text("".join(out) + readme[pos:])
    print(f"readme_sync: rewrote {len(out)} option table(s)")
for p in problems:
    print(p, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"readme_sync: {count} README sections match the code")
