#!/usr/bin/env bash
# Counts the instructions of one run call, raw (function pointers, buffers connected once), safe
# (Handle::run) and bound (Handle::bind once, BoundRun::run), with valgrind's callgrind: stable
# on a noisy machine, unlike time.
#
#   benches/callgrind-run.sh [SAMPLES...]      # default: 1 64 1024; then the Controls table
#                                              # and the chain table (256 samples)
#
# Each mode runs the run_driver example twice (1,000 and 11,000 calls); the difference divided
# by 10,000 is the cost of one call, without the setup.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind not found: apt-get install valgrind" >&2; exit 1; }
cargo build --release -q -p ladspa-benches --example run_driver --example chain_driver
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
driver="$target_dir/release/examples/run_driver"
"$driver" raw 1 1 >/dev/null # builds the test plugins outside valgrind

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1 64 1024)
plugins=("tp_amp")
[ -f /usr/lib/ladspa/amp.so ] && plugins+=("sdk_amp")
instructions_of() { # program args...
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 |
    sed -n 's/.*refs: *//p' | tr -d ,
}
instructions() { # mode samples calls plugin-args...
  instructions_of "$driver" "$@"
}
printf '%-8s %8s %10s %10s %6s %7s %10s %6s %7s\n' plugin samples raw/call safe/call extra ratio \
  bound/call extra ratio
for plugin in "${plugins[@]}"; do
  extra_args=()
  [ "$plugin" = sdk_amp ] && extra_args=(/usr/lib/ladspa/amp.so amp_mono)
  for samples in "${sizes[@]}"; do
    per_call() {
      local a b
      a=$(instructions "$1" "$samples" 1000 "${extra_args[@]}")
      b=$(instructions "$1" "$samples" 11000 "${extra_args[@]}")
      echo $(((b - a) / 10000))
    }
    raw=$(per_call raw)
    safe=$(per_call safe)
    bound=$(per_call bound)
    printf '%-8s %8s %10s %10s %6s %7s %10s %6s %7s\n' "$plugin" "$samples" "$raw" "$safe" \
      "$((safe - raw))" "$(python3 -c "print(f'{$safe / $raw:.3f}')")" \
      "$bound" "$((bound - raw))" "$(python3 -c "print(f'{$bound / $raw:.4f}')")"
  done
done

# Controls: tp_hints (48 control inputs) for 64 samples, with no Controls, with Controls and
# nothing changed, and with one or all 48 inputs set through Controls before each run (the
# sets are counted too).
echo
printf '%-20s %10s %10s\n' "controls (tp_hints)" run/call extra
none=0
for case in none unchanged one all; do
  a=$(instructions "controls-$case" 64 1000)
  b=$(instructions "controls-$case" 64 11000)
  per=$(((b - a) / 10000))
  [ "$case" = none ] && none=$per
  printf '%-20s %10s %10s\n' "$case" "$per" "$((per - none))"
done

# Chains (benches/benches/chain.rs): a mono plugin replicated on two channels then a stereo
# plugin, 256 samples, per block: raw calls, safe handles run by hand, ladspa_host::Chain.
chain_driver="$target_dir/release/examples/chain_driver"
variants=("tp")
[ -f /usr/lib/ladspa/filter.so ] && [ -f /usr/lib/ladspa/amp.so ] && variants+=("sdk")
echo
printf '%-8s %10s %12s %7s %10s %7s\n' chain raw/block handles/block ratio chain/block ratio
for variant in "${variants[@]}"; do
  per_block() {
    local a b
    a=$(instructions_of "$chain_driver" "$1" "$variant" 256 1000)
    b=$(instructions_of "$chain_driver" "$1" "$variant" 256 11000)
    echo $(((b - a) / 10000))
  }
  raw=$(per_block raw)
  handles=$(per_block handles)
  chain=$(per_block chain)
  printf '%-8s %10s %12s %7s %10s %7s\n' "$variant" "$raw" "$handles" \
    "$(python3 -c "print(f'{$handles / $raw:.3f}')")" "$chain" \
    "$(python3 -c "print(f'{$chain / $raw:.3f}')")"
done
