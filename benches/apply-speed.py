#!/usr/bin/env python3
"""Speed of `ladspa apply` against our `applyplugin` and `cp`, side by side (issue 24).

The same 15-minute mono 16-bit 44.1 kHz file through Debian's amp.so (amp_mono) then
delay.so (delay_5s), as whole processes. Each round runs every command once, in turn; the
result is the median over the rounds of each round's ratio, which a shared, noisy machine
disturbs less than separate means. Needs sox, ladspa-sdk and release builds of the tools:

    cargo build --release -p ladspa-tools
    python3 benches/apply-speed.py [rounds]
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release")


def main():
    with tempfile.TemporaryDirectory(prefix="apply-speed-", dir=os.path.join(ROOT, "target")) as tmp:
        env = dict(os.environ, LADSPA_PATH="/usr/lib/ladspa", XDG_CACHE_HOME=os.path.join(tmp, "cache"))
        source = os.path.join(tmp, "in.wav")
        subprocess.run(["sox", "-n", "-r", "44100", "-b", "16", "-c", "1", source,
                        "synth", "900", "pinknoise", "vol", "0.3"], check=True)
        commands = {
            "ladspa apply": [os.path.join(BIN, "ladspa"), "apply", source, os.path.join(tmp, "a.wav"),
                             "-p", "amp.so:amp_mono", "-c", "0=0.5",
                             "-p", "delay.so:delay_5s", "-c", "0=0.25", "-c", "1=0.5"],
            "applyplugin": [os.path.join(BIN, "applyplugin"), source, os.path.join(tmp, "b.wav"),
                            "amp", "amp_mono", "0.5", "delay", "delay_5s", "0.25", "0.5"],
            "cp": ["cp", source, os.path.join(tmp, "c.wav")],
        }
        # Warm up: the catalog's cache, the page cache.
        for command in commands.values():
            subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        times = {name: [] for name in commands}
        for _ in range(ROUNDS):
            for name, command in commands.items():
                started = time.perf_counter()
                subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
                times[name].append(time.perf_counter() - started)
        load = os.getloadavg()
        print(f"{ROUNDS} rounds; load average before/after: {load[0]:.2f} (1 min), {load[1]:.2f} (5 min)")
        for name, values in times.items():
            print(f"  {name:<13} median {statistics.median(values) * 1000:7.1f} ms"
                  f"  (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})")
        ratio = lambda a, b: statistics.median(x / y for x, y in zip(times[a], times[b]))
        print(f"  ladspa apply / applyplugin: {ratio('ladspa apply', 'applyplugin'):.2f}  (goal ≤ 1.1)")
        print(f"  applyplugin / cp:           {ratio('applyplugin', 'cp'):.2f}  (goal ≤ 1.5)")


if __name__ == "__main__":
    main()
