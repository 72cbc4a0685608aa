#!/usr/bin/env bash
# The live host's measures (issue 26): CPU per 64-frame period for 1, 10 and 50 stages of
# amp.so:amp_mono on 2 channels and a 10-stage mix of Debian plugins, live on a JACK server next
# to the same chain offline; the difference is the live host's overhead per cycle (goal ≤ 2 µs).
#
#   benches/live.sh [SECONDS]     # SECONDS of audio per chain and per measure (default 10)
#
# Starts a JACK server of its own (dummy driver, 48 kHz, 64 frames, named so that it disturbs no
# other server: JACK_DEFAULT_SERVER=ladspa-live-bench), runs
# benches/examples/live_overhead.rs on it, and stops it by its PID. Needs jackd2,
# libjack-jackd2-dev, pkg-config and Debian's LADSPA plugins (ladspa-sdk, caps, swh-plugins,
# tap-plugins). Timings are only worth reading on a machine that does nothing else: the columns
# say under which load they were taken (uptime is printed first).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-10}
export JACK_DEFAULT_SERVER=ladspa-live-bench
cargo build --release -q -p ladspa-benches --features jack --example live_overhead

JACK_NO_AUDIO_RESERVATION=1 jackd -n "$JACK_DEFAULT_SERVER" -d dummy -r 48000 -p 64 >/dev/null 2>&1 &
jackd_pid=$!
stop_server() {
  kill "$jackd_pid" 2>/dev/null || true
  # The server takes over a second to exit; wait for it.
  wait "$jackd_pid" 2>/dev/null || true
}
trap stop_server EXIT
jack_wait -w -t 10 >/dev/null 2>&1

uptime
"$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/examples/live_overhead" "$seconds" \
  2> >(grep -v '^JackMessageBuffer' >&2)
