#!/usr/bin/env python3
"""The README's configuration reference, generated from the option structs' headers:
one Markdown table per struct (option, default, meaning) built from each data member's
declaration (its default initializer) and its /// comment. check_readme.py compares
the README with this output; `docs/check_readme.py --fix` rewrites the README tables.

usage: docs/options_reference.py STRUCT HEADER [REPO_ROOT]   (prints one table)
"""
import re
import sys
from pathlib import Path

NOT_NAMES = {"const", "noexcept", "override", "final", "default", "delete"}


def strip_templates(text):
    while re.search(r"<[^<>]*>", text):
        text = re.sub(r"<[^<>]*>", "", text)
    return text


def members(text, name):
    """[(member, type, initializer, comment)] of `struct name`, or None when absent."""
    start = re.search(r"^\s*struct\s+" + re.escape(name) + r"\s*(?::[^{;]*)?\{", text, re.M)
    if not start:
        return None
    depth, out, comment = 1, [], []
    for raw in text[start.end():].splitlines():
        line = raw.strip()
        if depth == 1 and line.startswith("///") and not line.startswith("///<"):
            comment.append(line[3:].strip())
            continue
        code, _, trailing = line.partition("///<")
        code = re.sub(r"//.*", "", code).strip()
        if depth == 1 and code.endswith(";"):
            decl = code[:-1].strip()
            bare = strip_templates(decl)
            init = ""
            m = re.match(r"^(.*?)\s*=\s*(.+)$", decl)
            if m and "(" not in strip_templates(m.group(1)):
                decl, init = m.group(1), m.group(2)
            else:
                m = re.match(r"^(.*?\w)\s*\{(.*)\}$", decl)
                if m:
                    decl, init = m.group(1), "{" + m.group(2) + "}"
            bare = strip_templates(decl)
            nm = re.search(r"(\w+)$", bare)
            if (nm and nm.group(1) not in NOT_NAMES and " " in bare and "(" not in bare
                    and not re.match(r"(using|static|friend|typedef|enum|struct|class|return)\b", bare)):
                mtype = decl[: decl.rfind(nm.group(1))].strip()
                text_comment = " ".join(comment + ([trailing.strip()] if trailing.strip() else []))
                out.append((nm.group(1), mtype, init, text_comment))
        if line and not line.startswith("///"):
            comment = []
        depth += code.count("{") - code.count("}")
        if depth <= 0:
            break
    return out


UNITS = {"milliseconds": "ms", "seconds": "s", "minutes": "min", "hours": "h", "nanoseconds": "ns"}


def default_text(mtype, init):
    """The default as a reader wants it: units spelled out, empty things named."""
    if init:
        m = re.fullmatch(r"\{\s*(\d+)\s*\}", init)
        if m and re.search(r"millis|milliseconds", mtype):
            return f"{m.group(1)} ms"
        m = re.fullmatch(r"\{\s*std::chrono::(\w+)\s*\{\s*(\d+)\s*\}\s*\}", init)
        if m and m.group(1) in UNITS:
            return f"{m.group(2)} {UNITS[m.group(1)]}"
        m = re.fullmatch(r"std::chrono::(\w+)\(([^()]+)\)", init)
        if m and m.group(1) in UNITS:
            return f"{m.group(2)} {UNITS[m.group(1)]}"
        if re.fullmatch(r"[\d\s*u]+", init) and "*" in init and "1024" in init:
            value = 1
            for factor in init.replace("u", "").split("*"):
                value *= int(factor)
            for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
                if value % size == 0:
                    return f"{value // size} {unit}"
        return f"`{init}`"
    if mtype.startswith("std::optional"):
        return "unset"
    if re.match(r"std::(vector|map|set)", mtype):
        return "empty"
    if mtype == "std::string":
        return '`""`'
    if re.match(r"(std::function|log_hook|log_sink|framework_id_store|log_function|token_source)", mtype):
        return "none"
    if mtype == "caf::actor":
        return "none"
    if mtype.startswith("std::shared_ptr") or mtype.startswith("std::unique_ptr"):
        return "`nullptr`"
    return f"`{mtype}{{}}`"


def table(root, struct, header):
    found = members((Path(root) / header).read_text(), struct)
    if found is None:
        raise SystemExit(f"{header}: no struct {struct}")
    rows = ["| option | default | meaning |", "|---|---|---|"]
    for name, mtype, init, comment in found:
        meaning = comment.replace("|", "\\|") or "—"
        rows.append(f"| `{name}` | {default_text(mtype, init)} | {meaning} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    root = sys.argv[3] if len(sys.argv) > 3 else Path(__file__).resolve().parent.parent
    sys.stdout.write(table(root, sys.argv[1], sys.argv[2]))
