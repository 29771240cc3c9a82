#!/usr/bin/env python3
"""Checks every #include "…" in core/, views/, app/, sandbox/ and cli/ against tests/layering/floors.txt.

    check_layering.py --root <repo root> [--floors <file>]

Each include is resolved to a file the way the compiler finds it (the including file's folder first, then
the include roots), then checked: written with its folder, going down a floor inside core/ and views/,
and into another root only where floors.txt's [uses] allows it. Prints one line per violation,
"path:line: what is wrong", then a summary. Exit code 0: no violation; 1: violations; 2: bad table or usage.
Python 3 standard library only.
"""

import argparse
import fnmatch
import os
import re
import sys

ROOTS = ("core", "views", "app", "sandbox", "cli", "tests")  # include roots, each a top-level folder
CHECKED = ("core", "views", "app", "sandbox", "cli")          # the roots whose files are checked
FLOORED = ("core", "views")                                 # the roots whose folders have floors
FLAT = ("app", "sandbox", "cli")                            # roots with files of their own at the top
EXTENSIONS = (".h", ".cpp", ".h.in")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


class TableError(Exception):
    pass


def fmt_floor(value):
    return "%g" % value


def read_table(path):
    """floors.txt -> ({root: {folder: floor}}, {root: {used root: None | set of folders}}, [patterns])."""
    floors = {root: {} for root in FLOORED}
    uses = {root: {} for root in CHECKED}
    generated = []
    section = None
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            where = "%s:%d" % (path, number)
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].strip()
                if section not in FLOORED + ("uses", "generated"):
                    raise TableError("%s: unknown section [%s]" % (where, section))
                continue
            if section in FLOORED:
                words = line.split()
                try:
                    floor = float(words[0])
                except ValueError:
                    raise TableError("%s: a floor line starts with its number: %r" % (where, line))
                for folder in words[1:]:
                    if folder in floors[section]:
                        raise TableError("%s: %s/%s is listed twice" % (where, section, folder))
                    floors[section][folder] = floor
            elif section == "uses":
                root, sep, rest = line.partition(":")
                root = root.strip()
                if not sep or root not in CHECKED:
                    raise TableError("%s: expected '<root>: <root>[/<folder>,…] …', got %r" % (where, line))
                for word in rest.split():
                    used, _, folders = word.partition("/")
                    if used not in ROOTS:
                        raise TableError("%s: unknown root %r" % (where, used))
                    uses[root][used] = set(folders.split(",")) if folders else None
            elif section == "generated":
                generated.extend(line.split())
            else:
                raise TableError("%s: line outside a section: %r" % (where, line))
    return floors, uses, generated


def source_files(root_dir, root):
    top = os.path.join(root_dir, root)
    for directory, subdirs, files in os.walk(top):
        subdirs.sort()
        for name in sorted(files):
            if name.endswith(EXTENSIONS):
                yield os.path.relpath(os.path.join(directory, name), root_dir).replace(os.sep, "/")


def includes(path):
    """(line number, included text) for each #include "…" outside block comments."""
    in_comment = False
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            code = ""
            rest = line
            while rest:
                if in_comment:
                    end = rest.find("*/")
                    if end < 0:
                        rest = ""
                    else:
                        in_comment, rest = False, rest[end + 2:]
                else:
                    start = rest.find("/*")
                    if start < 0:
                        code, rest = code + rest, ""
                    else:
                        code, rest, in_comment = code + rest[:start], rest[start + 2:], True
            match = INCLUDE.match(code)
            if match:
                yield number, match.group(1)


def split(rel):
    """'core/wire/GrpcChannel.h' -> ('core', 'wire/GrpcChannel.h')."""
    root, _, inner = rel.partition("/")
    return root, inner


def folder_of(inner):
    """The folder a root-relative path sits in ('' for a file at the root's top)."""
    return inner.split("/", 1)[0] if "/" in inner else ""


def check(root_dir, floors, uses, generated):
    violations = []  # (path, line or None, message)
    counted_files = counted_includes = 0

    present = [root for root in ROOTS if os.path.isdir(os.path.join(root_dir, root))]

    for root in FLOORED:
        top = os.path.join(root_dir, root)
        if not os.path.isdir(top):
            continue
        for name in sorted(os.listdir(top)):
            full = os.path.join(top, name)
            if os.path.isdir(full):
                if name not in floors[root]:
                    violations.append(("%s/%s" % (root, name), None,
                                       "folder %s is not in floors.txt" % name))
            elif name.endswith(EXTENSIONS):
                violations.append(("%s/%s" % (root, name), None,
                                   "a file directly in %s/ belongs in one of its folders" % root))

    def name(root, folder):  # core's folders go by their own names, the others with their root's
        return folder if root == "core" else "%s/%s" % (root, folder)

    for area in CHECKED:
        if area not in present:
            continue
        visible = [area] + [r for r in uses[area] if r in present]
        for path in source_files(root_dir, area):
            counted_files += 1
            _, inner = split(path)
            src_folder = folder_of(inner)
            src_dir = os.path.dirname(os.path.join(root_dir, path))
            for line, text in includes(os.path.join(root_dir, path)):
                counted_includes += 1
                if any(fnmatch.fnmatchcase(os.path.basename(text), p) for p in generated):
                    continue

                def flag(message):
                    violations.append((path, line, message))

                # The compiler looks next to the including file first.
                at_top = os.path.normpath(src_dir) == os.path.normpath(os.path.join(root_dir, area))
                beside = os.path.normpath(os.path.join(src_dir, text))
                if not (at_top and area in FLAT) and os.path.isfile(beside):
                    rel = os.path.relpath(beside, os.path.join(root_dir, area)).replace(os.sep, "/")
                    how = "relative to its own file" if "/" in text else "written without its folder"
                    flag('"%s" is %s: write "%s"' % (text, how, rel))
                    continue
                if text.startswith("/") or ".." in text.split("/") or text.startswith("./"):
                    flag('"%s": write the include with its folder, relative to a root' % text)
                    continue

                found = [r for r in present if os.path.isfile(os.path.join(root_dir, r, text))]
                seen = [r for r in found if r in visible]
                if len(seen) > 1:
                    flag('"%s" is ambiguous: it is %s' % (text, " and ".join("%s/%s" % (r, text) for r in seen)))
                    continue
                if not found:
                    flag('"%s": no such file in any include root' % text)
                    continue
                target = seen[0] if seen else found[0]
                dst_folder = folder_of(text)

                if target == area:
                    if area not in FLOORED or dst_folder == src_folder:
                        continue
                    if src_folder not in floors[area] or dst_folder not in floors[area]:
                        continue  # reported once as a folder that is not in the table
                    mine, theirs = floors[area][src_folder], floors[area][dst_folder]
                    if theirs < mine:
                        continue
                    if theirs > mine:
                        why = "an include may only go down a floor"
                    elif area == "views":
                        why = "a feature folder includes only itself, common/ and core, never another feature"
                    else:
                        why = "two folders on one floor may not include each other"
                    flag("%s (floor %s) includes %s (%s, floor %s): %s" % (
                        name(area, src_folder), fmt_floor(mine), text, name(area, dst_folder), fmt_floor(theirs), why))
                    continue

                if target not in uses[area]:
                    if target == "tests":
                        flag("%s includes tests/%s: nothing outside tests/ may include tests/" % (area, text))
                    else:
                        allowed = ["%s/" % r for r in [area] + list(uses[area])]
                        allowed = ", ".join(allowed[:-1]) + " and " + allowed[-1] if len(allowed) > 1 else allowed[0]
                        flag("%s includes %s/%s: %s may include only %s" % (area, target, text, area, allowed))
                    continue
                limit = uses[area][target]
                if limit is not None and dst_folder not in limit:
                    order = [f for f in floors.get(target, {}) if f in limit] + sorted(
                        f for f in limit if f not in floors.get(target, {}))
                    flag("%s includes %s/%s: %s may include only %s's %s" % (
                        area, target, text, area, target, ", ".join("%s/" % f for f in order)))

    return violations, counted_files, counted_includes


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.normpath(os.path.join(here, "..", "..")),
                        help="the repository root (default: two folders above this script)")
    parser.add_argument("--floors", default=os.path.join(here, "floors.txt"),
                        help="the floors table (default: floors.txt next to this script)")
    args = parser.parse_args()

    try:
        floors, uses, generated = read_table(args.floors)
    except (OSError, TableError) as error:
        print("layering: %s" % error, file=sys.stderr)
        return 2
    if not os.path.isdir(args.root):
        print("layering: no such folder %s" % args.root, file=sys.stderr)
        return 2

    violations, files, count = check(args.root, floors, uses, generated)
    for path, line, message in violations:
        print("%s:%d: %s" % (path, line, message) if line else "%s: %s" % (path, message))
    print("layering: %d includes in %d files checked, %d violation%s" % (
        count, files, len(violations), "" if len(violations) == 1 else "s"))
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
