#!/usr/bin/env python3
"""Runs check_layering.py on tests/layering/bad/ and checks it names every planted violation, and no other.

    expect_violations.py [--tree <fake tree>] [--floors <file>]

A planted violation is marked on its line in the fake tree: "expect: <text>" means check_layering.py must
print "<file>:<line>: …<text>…"; "expect-folder: <text>" means it must print "<file's folder>: …<text>…".
Passes (exit 0) only if check_layering.py exits 1, prints every expected line, prints no violation that
was not planted, and counts exactly as many as were planted. Python 3 standard library only.
"""

import argparse
import os
import re
import subprocess
import sys

MARK = re.compile(r"//\s*expect(-folder)?:\s*(.+?)\s*$")
EXTENSIONS = (".h", ".cpp", ".h.in")


def planted(tree):
    """[(prefix, text)]: each line check_layering.py must print starts with prefix and contains text."""
    marks = []
    for directory, subdirs, files in os.walk(tree):
        subdirs.sort()
        for name in sorted(files):
            if not name.endswith(EXTENSIONS):
                continue
            path = os.path.join(directory, name)
            rel = os.path.relpath(path, tree).replace(os.sep, "/")
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    match = MARK.search(line)
                    if not match:
                        continue
                    if match.group(1):  # expect-folder
                        marks.append(("%s: " % os.path.dirname(rel), match.group(2)))
                    else:
                        marks.append(("%s:%d: " % (rel, number), match.group(2)))
    return marks


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", default=os.path.join(here, "bad"))
    parser.add_argument("--floors", default=os.path.join(here, "floors.txt"))
    args = parser.parse_args()

    marks = planted(args.tree)
    if not marks:
        print("expect_violations: no 'expect:' marks in %s" % args.tree)
        return 1
    run = subprocess.run([sys.executable, os.path.join(here, "check_layering.py"),
                          "--root", args.tree, "--floors", args.floors],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    print(run.stdout, end="")
    lines = run.stdout.splitlines()
    reported = [line for line in lines if not line.startswith("layering:")]

    failures = []
    if run.returncode != 1:
        failures.append("check_layering.py exited %d, expected 1 (violations found)" % run.returncode)
    matched = set()
    for prefix, text in marks:
        hits = [i for i, line in enumerate(reported) if line.startswith(prefix) and text in line]
        if hits:
            matched.update(hits)
        else:
            failures.append("not reported: %s…%s" % (prefix, text))
    for i, line in enumerate(reported):
        if i not in matched:
            failures.append("reported but not planted: %s" % line)
    summary = [line for line in lines if line.startswith("layering:")]
    wanted = ", %d violation" % len(marks)
    if len(summary) != 1 or wanted not in summary[0]:
        failures.append("the summary does not count %d violations: %r" % (len(marks), summary))

    print("---")
    for failure in failures:
        print("FAIL: %s" % failure)
    if failures:
        return 1
    print("expect_violations: all %d planted violations reported at their file and line, nothing else" % len(marks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
