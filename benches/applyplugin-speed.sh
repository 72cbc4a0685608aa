#!/usr/bin/env bash
# applyplugin of the LADSPA SDK against ours (ladspa-tools), side by side in one
# hyperfine run: 15 minutes of mono 16-bit audio through amp.so (amp_mono) then delay.so
# (delay_5s). Needs Debian's ladspa-sdk, sox and hyperfine (.ci/run installs the first and the
# last). Prints hyperfine's table, then the ratio of our mean time to the SDK's (below 1: we are
# faster).
#
#   bash benches/applyplugin-speed.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-10}
for tool in applyplugin sox hyperfine; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install ladspa-sdk sox hyperfine)" >&2; exit 1; }
done
[ -f /usr/lib/ladspa/amp.so ] && [ -f /usr/lib/ladspa/delay.so ] \
  || { echo "Debian's ladspa-sdk plugins are missing" >&2; exit 1; }

echo "==> building our applyplugin (release)" >&2
cargo build --quiet --release -p ladspa-tools --bin applyplugin
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
ours="$target_dir/release/applyplugin"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "==> generating 15 minutes of mono 16-bit audio at 44.1 kHz" >&2
sox -n -r 44100 -b 16 -c 1 "$work/in.wav" synth 900 sine 220 sine 3000 remix - gain -3 2>/dev/null

export LADSPA_PATH=/usr/lib/ladspa
chain="amp amp_mono 0.8 delay delay_5s 0.25 0.5"
# The two tools must agree before their speed means anything.
applyplugin "$work/in.wav" "$work/sdk.wav" $chain >/dev/null
"$ours" "$work/in.wav" "$work/ours.wav" $chain >/dev/null
cmp "$work/sdk.wav" "$work/ours.wav" || { echo "the output files differ" >&2; exit 1; }

hyperfine --warmup 2 --runs "$runs" --export-json "$work/times.json" \
  -n sdk "applyplugin $work/in.wav $work/sdk.wav $chain" \
  -n ours "$ours $work/in.wav $work/ours.wav $chain"

python3 - "$work/times.json" <<'EOF'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
sdk, ours = results["sdk"]["mean"], results["ours"]["mean"]
print(f"ours / sdk = {ours / sdk:.3f}  (sdk {sdk:.3f} s, ours {ours:.3f} s; below 1: ours is faster)")
EOF
