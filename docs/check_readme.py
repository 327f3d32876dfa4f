#!/usr/bin/env python3
"""readme_sync: keeps README.md honest about code it shows or describes.

1. A fenced block right after `<!-- file: PATH -->` must equal the file PATH (the
   five-minute tour is examples/tour.cpp, compiled and run by the example_tour test).
2. After `<!-- options: STRUCT HEADER -->` the reference (up to the next marker or
   heading) must name, in backticks, every data member of `struct STRUCT` in HEADER,
   and every name in the first column of its table must be such a member.

usage: docs/check_readme.py [REPO_ROOT]   (exit 1 with a list of problems)
"""
import re
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
readme = (root / "README.md").read_text()
problems = []

MARKER = re.compile(r"<!-- (file|options): ([^>]*?) -->")
NOT_NAMES = {"const", "noexcept", "override", "final", "default", "delete"}


def section_after(pos):
    """README text from pos to the next marker or heading."""
    rest = readme[pos:]
    end = re.search(r"<!-- (file|options):|^#{1,6} ", rest, re.M)
    return rest[: end.start()] if end else rest


def struct_members(header, name):
    """Data members declared directly in `struct name { ... };` of header."""
    text = (root / header).read_text()
    start = re.search(r"^\s*struct\s+" + re.escape(name) + r"\s*\{", text, re.M)
    if not start:
        problems.append(f"{header}: no struct {name}")
        return []
    depth, members = 1, []
    for raw in text[start.end():].splitlines():
        code = re.sub(r"//.*", "", raw).strip()
        if depth == 1 and code.endswith(";"):
            decl = code[:-1].strip()
            while re.search(r"<[^<>]*>", decl):  # template arguments may hold '(' or '='
                decl = re.sub(r"<[^<>]*>", "", decl)
            decl = re.sub(r"\s*=\s*.*$", "", decl)
            decl = re.sub(r"\s*\{.*\}$", "", decl)
            m = re.search(r"(\w+)$", decl)
            if (m and m.group(1) not in NOT_NAMES and " " in decl and "(" not in decl
                    and not re.match(r"(using|static|friend|typedef|enum|struct|class|return)\b", decl)):
                members.append(m.group(1))
        depth += code.count("{") - code.count("}")
        if depth <= 0:
            break
    return members


for marker in MARKER.finditer(readme):
    kind, arg = marker.group(1), marker.group(2).strip()
    body = section_after(marker.end())
    if kind == "file":
        block = re.search(r"```[a-z+]*\n(.*?)```", body, re.S)
        path = root / arg
        if not block:
            problems.append(f"README: no code block after the marker for {arg}")
        elif not path.exists():
            problems.append(f"README: {arg} does not exist")
        elif block.group(1) != path.read_text():
            problems.append(f"README: the block after <!-- file: {arg} --> differs from {arg}")
    else:
        struct, header = arg.split()
        members = struct_members(header, struct)
        if not members:
            problems.append(f"{header}: no data members found in struct {struct}")
        for m in members:
            if f"`{m}`" not in body:
                problems.append(f"README: option {struct}::{m} ({header}) is not in the reference")
        for row in re.findall(r"^\|\s*`(\w+)`", body, re.M):
            if row not in members:
                problems.append(f"README: the reference of {struct} lists `{row}`, not a member of it")

if not MARKER.search(readme):
    problems.append("README: no <!-- file: --> or <!-- options: --> markers found")
for p in problems:
    print(p, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"readme_sync: {len(MARKER.findall(readme))} README sections match the code")
