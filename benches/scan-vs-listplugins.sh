#!/usr/bin/env bash
# Times a whole-process scan of a plugin directory, with hyperfine, side by side in one run, for
# the test plugins' directory and for /usr/lib/ladspa when present:
#   - the LADSPA SDK's `listplugins` (C, RTLD_LAZY, one process);
#   - `ladspa scan`: the `scan` example of ladspa-benches (SearchPath::scan_in_process in process, printing
#     the same listing);
#   - `catalog cold`: our `listplugins` (the catalog: worker processes, one per core) with an
#     empty cache before every run;
#   - `catalog warm`: the same with the cache it wrote (no worker starts).
#
#   benches/scan-vs-listplugins.sh [--write-readme]
#
# Needs `listplugins` (Debian: ladspa-sdk) and hyperfine. With --write-readme, the hyperfine
# tables replace the listplugins section of benches/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v listplugins >/dev/null || { echo "listplugins not found: apt-get install ladspa-sdk" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine not found: apt-get install hyperfine" >&2; exit 1; }

cargo build --release -q -p ladspa-benches --example scan
cargo build --release -q -p ladspa-tools --bin listplugins
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
scan="$target_dir/release/examples/scan"
catalog="$target_dir/release/listplugins"
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
dirs=("$("$scan" --reference-dir)")
[ -d /usr/lib/ladspa ] && dirs+=(/usr/lib/ladspa)

report=$(mktemp)
for dir in "${dirs[@]}"; do
  echo "== $dir"
  LADSPA_PATH="$dir" "$scan" | diff -q - <(LADSPA_PATH="$dir" listplugins) >/dev/null ||
    echo "note: the in-process listing differs from the SDK's for $dir (see benches/README.md)"
  LADSPA_PATH="$dir" XDG_CACHE_HOME="$cache/$RANDOM" "$catalog" 2>/dev/null |
    cmp -s - <(LADSPA_PATH="$dir" listplugins 2>/dev/null) ||
    { echo "the catalog's listing differs from the SDK's for $dir" >&2; exit 1; }
  # The catalog's runs share one cache directory, which each run's preparation empties
  # (cold) or fills with a cache written beforehand (warm): no wrapper process is timed.
  rm -rf "$cache/warm" && LADSPA_PATH="$dir" XDG_CACHE_HOME="$cache/warm" "$catalog" >/dev/null 2>&1
  md=$(mktemp)
  LADSPA_PATH="$dir" XDG_CACHE_HOME="$cache/current" \
    hyperfine -N --warmup 10 --min-runs 100 --export-markdown "$md" \
    --prepare true --command-name listplugins listplugins \
    --prepare true --command-name "ladspa scan" "$scan" \
    --prepare "rm -rf $cache/current" --command-name "catalog cold" "$catalog" \
    --prepare "sh -c 'rm -rf $cache/current && cp -r $cache/warm $cache/current'" \
    --command-name "catalog warm" "$catalog"
  { echo "Directory \`$dir\`:"; echo; cat "$md"; echo; } >>"$report"
done

if [ "${1:-}" = --write-readme ]; then
  python3 - benches/README.md "$report" <<'PY'
import datetime, pathlib, re, sys
readme, report = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text()
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
body = f"Written by `benches/scan-vs-listplugins.sh --write-readme` on {now}.\n\n{report}"
begin, end = "<!-- listplugins:begin -->", "<!-- listplugins:end -->"
text = readme.read_text()
if begin not in text:
    sys.exit(f"{readme} has no {begin} … {end} section")
readme.write_text(re.sub(re.escape(begin) + ".*?" + re.escape(end),
                         lambda _: begin + "\n" + body.rstrip() + "\n" + end, text, flags=re.S))
print(f"wrote the hyperfine tables into {readme}")
PY
fi
