#!/usr/bin/env bash
# Times a whole-process scan of a plugin directory: the LADSPA SDK's `listplugins` (C) against
# the `scan` example of ladspa-benches (SearchPath::scan, printing the same listing), with
# hyperfine, for the test plugins' directory and for /usr/lib/ladspa when present.
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
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
scan="$target_dir/release/examples/scan"
dirs=("$("$scan" --reference-dir)")
[ -d /usr/lib/ladspa ] && dirs+=(/usr/lib/ladspa)

report=$(mktemp)
for dir in "${dirs[@]}"; do
  echo "== $dir"
  LADSPA_PATH="$dir" "$scan" | diff -q - <(LADSPA_PATH="$dir" listplugins) >/dev/null ||
    echo "note: the two listings differ for $dir (see benches/README.md)"
  md=$(mktemp)
  LADSPA_PATH="$dir" hyperfine -N --warmup 10 --min-runs 100 --export-markdown "$md" \
    --command-name listplugins listplugins --command-name "ladspa scan" "$scan"
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
