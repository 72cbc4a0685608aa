#!/usr/bin/env bash
# Runs the criterion suite of ladspa-benches and prints, for every group, the median of the raw
# C path, the median of the safe API and their ratio, against the targets of the benchmark issue.
#
#   benches/ratios.sh                    # quick mode: 1 s warm-up, 2 s measurement (~5 minutes)
#   benches/ratios.sh --full             # the settings of `cargo bench` (1 s + 4 s per function)
#   benches/ratios.sh --write-readme     # also rewrite the results table of benches/README.md
#   benches/ratios.sh -- run-same/tp_amp # only the groups matching a criterion filter
#
# Only results written by this run are read (criterion's JSON under target/criterion), so stale
# results of earlier runs never leak into the table. The README table is written by this script
# from those files, never by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=quick
write_readme=0
filters=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full) mode=full ;;
    --quick) mode=quick ;;
    --write-readme) write_readme=1 ;;
    --) shift; filters=("$@"); break ;;
    *) echo "usage: $0 [--full|--quick] [--write-readme] [-- criterion-filter...]" >&2; exit 2 ;;
  esac
  shift
done

target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
export CRITERION_HOME="$target_dir/criterion"
mkdir -p "$CRITERION_HOME"
marker="$CRITERION_HOME/.ratios-start"
touch "$marker"
sleep 1 # file times have a one-second resolution on some file systems

flags=()
[ "$mode" = quick ] && flags=(--warm-up-time 1 --measurement-time 2)
cargo bench -p ladspa-benches -- "${flags[@]}" "${filters[@]}"

readme_arg=()
[ "$write_readme" = 1 ] && readme_arg=(benches/README.md)
python3 - "$CRITERION_HOME" "$marker" "$mode" "${readme_arg[@]}" <<'PY'
import datetime, json, os, pathlib, platform, re, subprocess, sys

home, marker, mode = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
readme = pathlib.Path(sys.argv[4]) if len(sys.argv) > 4 else None
since = marker.stat().st_mtime

# Every benchmark measured by this run, in the order it ran.
found = []
for bench in home.glob("**/new/benchmark.json"):
    if bench.stat().st_mtime < since:
        continue
    meta = json.loads(bench.read_text())
    estimates = json.loads((bench.parent / "estimates.json").read_text())
    found.append((bench.stat().st_mtime, meta["group_id"], meta["function_id"],
                  estimates["median"]["point_estimate"]))
found.sort()
groups = {}
for _, group, function, median in found:
    groups.setdefault(group, {})[function] = median

def target(group):
    """The issue's target for a group (a maximum ratio), or None where it only asks for a report."""
    kind = group.split("/")[0]
    size = group.split("/")[-1]
    if kind in ("run-same", "run-moving"):
        return {"64": 1.05, "1024": 1.01}.get(size)
    if kind in ("instantiate", "instantiate-activate"):
        return 2.0
    if kind == "load":
        return 1.1
    return None

def show(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.2f} ns"

rows = []
for group, functions in groups.items():
    if "raw" not in functions or "safe" not in functions:
        continue
    for baseline in ["raw"] + sorted(f for f in functions if f not in ("raw", "safe", "bound")):
        ratio = functions["safe"] / functions[baseline]
        limit = target(group) if baseline == "raw" else None
        verdict = "—" if limit is None else (f"≤ {limit:g}: " + ("yes" if ratio <= limit else "**no**"))
        rows.append((group, baseline, show(functions[baseline]), show(functions["safe"]),
                     f"{ratio:.3f}", verdict))

header = ("group", "baseline", "baseline median", "safe median", "safe / baseline", "target")
widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
for row in [header] + rows:
    print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)))
if not rows:
    sys.exit("no raw/safe pair was measured")

# The instantiate floor: what any safe handle adds to the raw path (keeping its plugin type
# alive, owning the memory the plugin points into), measured in this run.
floor = groups.get("instantiate-floor", {})
floor_lines = []
if "arc_clone_drop" in floor and "two_small_allocations" in floor:
    extra = floor["arc_clone_drop"] + floor["two_small_allocations"]
    floor_lines = [
        f"Instantiate floor, measured in this run: an `Arc` clone and drop {show(floor['arc_clone_drop'])}, "
        f"two small allocations and frees {show(floor['two_small_allocations'])}; together {show(extra)}.",
        "",
        "| group | raw median | raw + floor | floor / raw | safe median | safe / raw |",
        "|---|---|---|---|---|---|",
    ]
    for group, functions in groups.items():
        if group.split("/")[0] in ("instantiate", "instantiate-activate") and "raw" in functions and "safe" in functions:
            raw = functions["raw"]
            floor_lines.append(f"| `{group}` | {show(raw)} | {show(raw + extra)} | {(raw + extra) / raw:.2f} | "
                               f"{show(functions['safe'])} | {functions['safe'] / raw:.2f} |")
    print()
    print("\n".join(floor_lines))

# The real-time additions: bound runs next to raw and safe (target: bound <= 1.01 x raw at 64
# samples), and the cost of Controls with none, one or all controls changed per run.
realtime_lines = []
bound_groups = [(g, f) for g, f in groups.items() if {"raw", "safe", "bound"} <= f.keys()]
if bound_groups:
    realtime_lines += [
        "| group | raw | safe | bound | safe / raw | bound / raw | bound target |",
        "|---|---|---|---|---|---|---|",
    ]
    for group, f in bound_groups:
        ratio = f["bound"] / f["raw"]
        verdict = ("≤ 1.01: " + ("yes" if ratio <= 1.01 else "**no**")) if group.endswith("/64") else "—"
        realtime_lines.append(f"| `{group}` | {show(f['raw'])} | {show(f['safe'])} | {show(f['bound'])} | "
                              f"{f['safe'] / f['raw']:.3f} | {ratio:.3f} | {verdict} |")
for group, f in groups.items():
    if group.startswith("controls/") and "none" in f:
        realtime_lines += ["", f"`{group}`: median per run, and above the run without `Controls`:", "",
                           "| changed | median | above `none` |", "|---|---|---|"]
        for case in ("none", "unchanged", "one", "all"):
            if case in f:
                realtime_lines.append(f"| {case} | {show(f[case])} | {show(f[case] - f['none'])} |")
if realtime_lines:
    print()
    print("\n".join(realtime_lines))

if readme:
    cpu = "unknown CPU"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    table = [
        f"Written by `benches/ratios.sh{' --full' if mode == 'full' else ''} --write-readme` "
        f"on {now}; {mode} mode.",
        f"Machine: {cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, {rustc}.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ] + ["| " + " | ".join(f"`{c}`" if i == 0 else c for i, c in enumerate(row)) + " |" for row in rows]
    if floor_lines:
        table += [""] + floor_lines
    if realtime_lines:
        table += ["", "Bound runs and `Controls` (see *Real-time* below):", ""] + realtime_lines
    text = readme.read_text()
    begin, end = "<!-- ratios:begin -->", "<!-- ratios:end -->"
    new = re.sub(re.escape(begin) + ".*?" + re.escape(end),
                 lambda _: begin + "\n" + "\n".join(table) + "\n" + end, text, flags=re.S)
    if new == text and begin not in text:
        sys.exit(f"{readme} has no {begin} … {end} section")
    readme.write_text(new)
    print(f"\nwrote the table into {readme}")
PY
