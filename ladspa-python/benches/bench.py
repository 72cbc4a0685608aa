"""The Python package's measures, side by side in one run (not a test: numbers for people).

1. ``chain.process`` of a (2, 2_880_000) float32 array through Debian's ``amp.so:amp_stereo``
   (gain 0.5): into ``out=`` (the buffers stay, as in the Rust driver) and into a new array,
   next to the same chain driven from Rust (``benches/examples/python_parity.rs``, run here)
   and pedalboard's built-in ``Gain`` (-6.02 dB) on the same array.
2. The cost of one ``handle.run`` of 64 frames (``amp.so:amp_mono``) from Python, next to the
   Rust call.
3. Two threads running two handles against one thread running both, one after the other: the
   speed-up (the GIL is released while plugins run).

Run it in an environment of its own (pedalboard is for this script only)::

    python -m venv /tmp/bench && /tmp/bench/bin/pip install ./ladspa-python pedalboard
    /tmp/bench/bin/python ladspa-python/benches/bench.py
"""

from __future__ import annotations

import statistics
import subprocess
import threading
import time
from pathlib import Path

import numpy as np

import ladspa

FRAMES = 2_880_000
REPO = Path(__file__).resolve().parents[2]


def timed(function, runs: int) -> tuple[float, float]:
    """Median and minimum milliseconds of ``runs`` calls (after two warm-up calls)."""
    function()
    function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1e3)
    return statistics.median(times), min(times)


def rust_side() -> dict[str, list[float]]:
    output = subprocess.run(
        ["cargo", "run", "--release", "--quiet", "-p", "ladspa-benches", "--example", "python_parity", "--", "20", "200000"],
        cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout
    return {line.split()[0]: [float(x) for x in line.split()[1:]] for line in output.splitlines()}


def main() -> None:
    rust = rust_side()
    audio = np.stack([((np.arange(FRAMES) * 7 + c) % 1000) / 1000 - 0.5 for c in range(2)]).astype(np.float32)
    out = np.zeros_like(audio)
    chain = ladspa.Chain(2, 48_000, [("amp.so:amp_stereo", {"Gain": 0.5})])
    into_out = timed(lambda: chain.process(audio, 48_000, out=out), 20)
    new_array = timed(lambda: chain.process(audio, 48_000), 20)
    assert np.array_equal(out, audio * np.float32(0.5))
    print(f"chain.process, (2, {FRAMES:,}) float32 through amp.so:amp_stereo (median / min ms):")
    print(f"  Rust Chain::process, buffers that stay   {rust['chain_ms'][0]:7.2f} / {rust['chain_ms'][1]:.2f}")
    print(f"  Python, out= (buffers that stay)         {into_out[0]:7.2f} / {into_out[1]:.2f}"
          f"   ratio to Rust {into_out[0] / rust['chain_ms'][0]:.3f}")
    print(f"  Python, a new array each call            {new_array[0]:7.2f} / {new_array[1]:.2f}"
          f"   ratio to Rust {new_array[0] / rust['chain_ms'][0]:.3f}")
    try:
        import pedalboard
    except ImportError:
        print("  pedalboard: not installed in this environment")
    else:
        gain = pedalboard.Gain(gain_db=20 * np.log10(0.5))
        board = timed(lambda: gain.process(audio, 48_000), 20)
        print(f"  pedalboard Gain, a new array each call   {board[0]:7.2f} / {board[1]:.2f}"
              f"   ladspa (new array) is {board[0] / new_array[0]:.2f}x as fast")
        assert np.allclose(gain.process(audio, 48_000), out, atol=1e-6)
    numpy_times = timed(lambda: np.multiply(audio, np.float32(0.5), out=out), 20)
    print(f"  numpy multiply into out=                 {numpy_times[0]:7.2f} / {numpy_times[1]:.2f}")

    amp = ladspa.load("amp.so")["amp_mono"]
    block = np.full(64, 0.25, dtype=np.float32)
    block_out = np.zeros(64, dtype=np.float32)
    with amp.instantiate(48_000) as handle:
        calls = 200_000
        per_call = []
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(calls):
                handle.run(block, block_out)
            per_call.append((time.perf_counter() - started) * 1e9 / calls)
        new_out = []
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(calls):
                handle.run(block)
            new_out.append((time.perf_counter() - started) * 1e9 / calls)
    print("handle.run of 64 frames, amp.so:amp_mono (median ns per call):")
    print(f"  Rust Handle::run                         {rust['run64_ns'][0]:7.1f}")
    print(f"  Python handle.run(block, out)            {statistics.median(per_call):7.1f}")
    print(f"  Python handle.run(block), a new array    {statistics.median(new_out):7.1f}")

    lpf = ladspa.find("filter.so:lpf")
    signal = audio[0].copy()
    handles = [lpf.instantiate(48_000) for _ in range(2)]
    for handle in handles:
        handle.activate()
    outs = [np.zeros_like(signal) for _ in range(2)]

    def job(k: int, repeats: int = 10) -> None:
        for _ in range(repeats):
            handles[k].run(signal, outs[k])

    def one_thread() -> None:
        job(0)
        job(1)

    def two_threads() -> None:
        threads = [threading.Thread(target=job, args=(k,)) for k in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    one = timed(one_thread, 5)
    two = timed(two_threads, 5)
    print(f"two handles of filter.so:lpf, 10 runs of {FRAMES:,} frames each (median ms):")
    print(f"  one thread, one after the other          {one[0]:7.1f}")
    print(f"  two threads, one handle each             {two[0]:7.1f}   speed-up {one[0] / two[0]:.2f}x")


if __name__ == "__main__":
    main()
