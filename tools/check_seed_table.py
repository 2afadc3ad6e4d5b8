#!/usr/bin/env python3
"""check_seed_table.py SEED HACKING.md: every function of the seed is in HACKING.md's table.

SEED is the Go 1.5 scheduler the runtime ports (../shared/seed/proc1.go.txt); HACKING.md's
section "Seed function → Gol" maps each of its functions to the Gol file that implements it, or
says why there is none. This extracts every `func name(` and `func (recv) name(` of the seed and
fails, listing them, when a name is not a whole word of some row's first column. Exit 77 (ctest:
skipped) when the seed is not on this machine: it lives outside the repository.
"""
import re
import sys


def seed_functions(text):
    return re.findall(r"^func\s+(?:\([^)]*\)\s*)?(\w+)\s*\(", text, re.M)


def table_names(md):
    parts = md.split("## Seed function → Gol", 1)
    if len(parts) != 2:
        return None
    section = parts[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("|") and not re.match(r"^\|[\s-]*\|", line):
            names.update(re.findall(r"\w+", line.split("|")[1]))
    return names


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    seed_path, md_path = sys.argv[1:]
    try:
        seed = open(seed_path).read()
    except OSError as ex:
        print("SKIP: no seed: %s" % ex)
        return 77
    funcs = seed_functions(seed)
    names = table_names(open(md_path).read())
    if names is None:
        print("FAIL: %s has no section '## Seed function → Gol'" % md_path)
        return 1
    missing = [f for f in dict.fromkeys(funcs) if f not in names]
    if missing:
        print("FAIL: %d of %d seed functions are missing from the table in %s:" % (len(missing), len(funcs), md_path))
        for f in missing:
            print("  " + f)
        print("Add a row for each (the Gol file and function, or why it has no counterpart).")
        return 1
    print("ok: all %d seed functions are in the table" % len(funcs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
