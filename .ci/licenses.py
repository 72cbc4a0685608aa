#!/usr/bin/env python3
"""Lists the licence of every crate the workspace depends on (normal, build and dev, all
features) and fails on one that is not compatible with distributing the published crates under
MIT OR Apache-2.0: a licence outside ALLOWED, or a crate that declares none.

Licence expressions are SPDX: `A OR B` needs one of them allowed, `A AND B` both, `A WITH
exception` the licence A. Run by .ci/run; `python3 .ci/licenses.py --list` prints the table.
"""
import json
import re
import subprocess
import sys

# Permissive licences, and MPL-2.0 (file-level copyleft: symphonia, used unmodified as a
# dependency, which MPL-2.0 allows in a MIT/Apache-2.0 program).
ALLOWED = {
    "MIT", "MIT-0", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "Zlib", "Unicode-3.0",
    "Unicode-DFS-2016", "Unlicense", "CC0-1.0", "BSL-1.0", "MPL-2.0", "0BSD",
}


def allowed(expression):
    tokens = re.findall(r"\(|\)|[A-Za-z0-9.+-]+", expression.replace("/", " OR "))
    pos = 0

    def parse_or():
        nonlocal pos
        value = parse_and()
        while pos < len(tokens) and tokens[pos] == "OR":
            pos += 1
            value = parse_and() or value
        return value

    def parse_and():
        nonlocal pos
        value = parse_with()
        while pos < len(tokens) and tokens[pos] == "AND":
            pos += 1
            value = parse_with() and value
        return value

    def parse_with():
        nonlocal pos
        if tokens[pos] == "(":
            pos += 1
            value = parse_or()
            pos += 1  # ")"
            return value
        value = tokens[pos].rstrip("+") in ALLOWED
        pos += 1
        if pos < len(tokens) and tokens[pos] == "WITH":
            pos += 2
        return value

    return parse_or()


def main():
    metadata = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--all-features", "--locked"],
        check=True, capture_output=True, text=True).stdout)
    workspace = set(metadata["workspace_members"])
    refused = []
    rows = []
    for package in sorted(metadata["packages"], key=lambda p: (p["name"], p["version"])):
        if package["id"] in workspace:
            continue
        licence = package.get("license") or ""
        ok = bool(licence) and allowed(licence)
        rows.append(f"{package['name']:32} {package['version']:12} {licence or '(none declared)'}")
        if not ok:
            refused.append(rows[-1])
    if "--list" in sys.argv:
        print("\n".join(rows))
    print(f"{len(rows)} dependencies, every licence compatible with MIT OR Apache-2.0"
          if not refused else f"{len(refused)} dependencies with a licence not allowed:")
    for row in refused:
        print("  " + row)
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
