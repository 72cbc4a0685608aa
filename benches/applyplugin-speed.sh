#!/usr/bin/env bash
# applyplugin of the LADSPA SDK against ours (ladspa-tools), with `cp` of the same file and
# sox's `ladspa` effect on the same chain, side by side in one hyperfine run: 15 minutes of
# mono 16-bit audio at 44.1 kHz through amp.so's amp_mono at gain 1 (the plugin does next to
# nothing, so what is timed is the tools' own work: reading, converting, measuring the peak,
# writing). Needs Debian's ladspa-sdk, sox and hyperfine (.ci/run installs them).
#
# The SDK's output and ours are compared with `cmp` first (sox converts and dithers its own
# way, so its output is not compared). Prints hyperfine's table, then the ratios of the means
# and of the medians: ours / SDK (target <= 0.5), ours / cp (target <= 2: the work is
# I/O-bound) and sox / ours. On a machine whose disk is busy with other work, the writes wait
# for it now and then (seconds, whoever writes); WORK_DIR=/dev/shm keeps the files in memory.
#
#   bash benches/applyplugin-speed.sh [runs]
#   CHAIN="amp amp_mono 0.8 delay delay_5s 0.25 0.5" bash benches/applyplugin-speed.sh
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-10}
for tool in applyplugin sox hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install ladspa-sdk sox hyperfine)" >&2; exit 1; }
done
[ -f /usr/lib/ladspa/amp.so ] || { echo "Debian's ladspa-sdk plugins are missing" >&2; exit 1; }

echo "==> building our applyplugin (release)" >&2
cargo build --quiet --release -p ladspa-tools --bin applyplugin
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
ours="$target_dir/release/applyplugin"

# WORK_DIR=/dev/shm times the tools without the disk (tmpfs); the default is /tmp's disk.
work=$(mktemp -d "${WORK_DIR:-/tmp}/applyplugin-speed.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "==> generating 15 minutes of mono 16-bit audio at 44.1 kHz" >&2
sox -n -r 44100 -b 16 -c 1 "$work/in.wav" synth 900 sine 220 sine 3000 remix - gain -3 2>/dev/null

export LADSPA_PATH=/usr/lib/ladspa
chain=${CHAIN:-"amp amp_mono 1"}
# sox takes one plugin an effect: "ladspa FILE LABEL CONTROLS..." for each plugin of the chain.
sox_chain=$(python3 - "$chain" <<'EOF_PY'
import subprocess, sys
words, out = sys.argv[1].split(), []
while words:
    file, label, words = words[0], words[1], words[2:]
    # As many controls as the plugin has control inputs (the SDK's analyseplugin says).
    info = subprocess.run(["analyseplugin", file, label], capture_output=True, text=True).stdout
    count = info.count("input, control")
    out += ["ladspa", file, label] + words[:count]
    words = words[count:]
print(" ".join(out))
EOF_PY
)
# The two tools must agree before their speed means anything; a first run also fills our
# catalog's cache, as any earlier use of the tools would have.
applyplugin "$work/in.wav" "$work/sdk.wav" $chain >/dev/null
"$ours" "$work/in.wav" "$work/ours.wav" $chain >/dev/null
cmp "$work/sdk.wav" "$work/ours.wav" || { echo "the output files differ" >&2; exit 1; }
echo "==> outputs identical (cmp); chain: $chain; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# Each run writes a new file: overwriting one (O_TRUNC) that still has dirty pages makes ext4
# write them out first (auto_da_alloc), which would time the disk's backlog rather than the
# tool. The outputs are removed before each run; an unlinked file's dirty pages are dropped.
hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/times.json" \
  --prepare "rm -f $work/sdk.wav $work/ours.wav $work/cp.wav $work/sox.wav" \
  -n sdk "applyplugin $work/in.wav $work/sdk.wav $chain" \
  -n ours "$ours $work/in.wav $work/ours.wav $chain" \
  -n cp "cp $work/in.wav $work/cp.wav" \
  -n sox "sox $work/in.wav $work/sox.wav $sox_chain"

python3 - "$work/times.json" <<'EOF_PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
print()
print("| command | mean | median | min | user | system |")
print("|---|---|---|---|---|---|")
for name in ["sdk", "ours", "cp", "sox"]:
    r = results[name]
    ms = lambda seconds: f"{seconds * 1000:.1f} ms"
    print(f"| {name} | {ms(r['mean'])} ± {r['stddev'] * 1000:.1f} | {ms(r['median'])} | {ms(r['min'])} "
          f"| {ms(r['user'])} | {ms(r['system'])} |")
print()
for stat in ["mean", "median"]:
    t = {name: r[stat] for name, r in results.items()}
    print(f"{stat:6}: ours / sdk = {t['ours'] / t['sdk']:.3f} (target <= 0.5), "
          f"ours / cp = {t['ours'] / t['cp']:.3f} (target <= 2), sox / ours = {t['sox'] / t['ours']:.3f}")
EOF_PY
