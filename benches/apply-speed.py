#!/usr/bin/env python3
"""Speed of `ladspa apply` against our `applyplugin` and `cp`, side by side (issue 24).

The same 15-minute mono 16-bit 44.1 kHz file through Debian's amp.so (amp_mono) then
delay.so (delay_5s), as whole processes. Each round runs every command once, in an order that
goes through every permutation in turn; the result is the median over the rounds of each round's ratio, which a shared, noisy machine
disturbs less than separate means. Needs sox, ladspa-sdk and release builds of the tools:

    cargo build --release -p ladspa-tools
    python3 benches/apply-speed.py [rounds]
"""
import itertools
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
        # Wall-clock time (the goal), and CPU time (user + system, all threads) beside it: on a
        # machine that others load, CPU time says what the command costs without the waits.
        times = {name: [] for name in commands}
        cpu = {name: [] for name in commands}
        load = os.getloadavg()[0]
        orders = list(itertools.permutations(commands))
        for round in range(ROUNDS):
            # The order goes through every permutation in turn, so that each command follows
            # each other one equally often: what a command leaves behind is paid by the next
            # one (`cp` replacing a file makes ext4 start writing 80 MB back as it exits, which
            # takes CPU time from whatever runs then). A turning order made `ladspa apply`
            # follow `cp` in two rounds of three, and `applyplugin` in one.
            for name in orders[round % len(orders)]:
                command = commands[name]
                started = time.perf_counter()
                child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
                _, status, usage = os.wait4(child.pid, 0)
                times[name].append(time.perf_counter() - started)
                cpu[name].append(usage.ru_utime + usage.ru_stime)
                if status != 0:
                    sys.exit(f"{name} failed: {command}")
        print(f"{ROUNDS} rounds; load average (1 min) before {load:.2f}, after {os.getloadavg()[0]:.2f}")
        for name, values in times.items():
            print(f"  {name:<13} median {statistics.median(values) * 1000:7.1f} ms"
                  f"  (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"
                  f"  CPU {statistics.median(cpu[name]) * 1000:6.1f} ms")
        def ratio(of, a, b):
            return statistics.median(x / y for x, y in zip(of[a], of[b]))
        for a, b, goal in [("ladspa apply", "applyplugin", 1.1), ("applyplugin", "cp", 1.5)]:
            print(f"  {a + ' / ' + b + ':':<27} {ratio(times, a, b):.2f}  (goal ≤ {goal})"
                  f"  CPU time {ratio(cpu, a, b):.2f}")


if __name__ == "__main__":
    main()
