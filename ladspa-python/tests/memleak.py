"""The seed's memory test, ported: each iteration loads a plugin file, walks to a plugin type,
instantiates it, runs a block and drops everything.

Three modes:
- ``builtin``: the builtin layer (``ladspa._ladspa``), which makes no reference cycles;
- ``high``: the high-level layer, whose objects make the seed's cycles
  (``descriptor.plugin`` ↔ ``plugin.descriptors``), left to Python's cycle collector;
- ``subclass``: a user's ``Handle`` subclass that adds a cycle of its own (``self.me = self``).

Resident memory is read (after ``gc.collect()``) once ``WARM`` iterations have run and again
at the end; the check fails when it grew by more than 1 MiB, or when the plugin file is still
mapped (``/proc/self/maps``) once the last object is gone and ``gc.collect()`` ran.

    python memleak.py                        # 100,000 then 1,000,000 iterations, every mode
    python memleak.py --warm 10000 --iterations 100000 builtin high
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time

import numpy as np

import ladspa
from ladspa import _ladspa

MIB = 1 << 20


class CyclicHandle(ladspa.Handle):
    """A user's handle with a cycle of its own."""

    def __init__(self, descriptor: ladspa.Descriptor, sample_rate: int) -> None:
        super().__init__(descriptor, sample_rate)
        self.me = self


class CyclicDescriptor(ladspa.Descriptor):
    handle_class = CyclicHandle


class CyclicPlugin(ladspa.Plugin):
    descriptor_class = CyclicDescriptor


def resident() -> int:
    """Resident memory of this process, in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def mapped(path: str) -> bool:
    with open("/proc/self/maps") as maps:
        return path in maps.read()


def iteration(mode: str, path: str, label: str, block: np.ndarray, out: np.ndarray) -> None:
    if mode == "builtin":
        plugin = _ladspa.load(path)
    elif mode == "high":
        plugin = ladspa.Plugin(path)
    else:
        plugin = CyclicPlugin(path)
    handle = plugin[label].instantiate(48_000)
    handle.activate()
    handle.run(block, out=out)
    handle.run(block)  # a new output array too


def run(mode: str, path: str, label: str, warm: int, iterations: int) -> tuple[int, int, bool]:
    block = np.ones((1, 64), dtype=np.float32)
    out = np.zeros_like(block)
    for _ in range(warm):
        iteration(mode, path, label, block, out)
    gc.collect()
    at_warm = resident()
    for _ in range(iterations - warm):
        iteration(mode, path, label, block, out)
    gc.collect()
    at_end = resident()
    return at_warm, at_end, mapped(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modes", nargs="*", default=["builtin", "high", "subclass"])
    parser.add_argument("--warm", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=1_000_000)
    parser.add_argument("--plugin", default="/usr/lib/ladspa/amp.so")
    parser.add_argument("--label", default="amp_mono")
    args = parser.parse_args()
    failed = False
    for mode in args.modes:
        started = time.monotonic()
        at_warm, at_end, still_mapped = run(mode, args.plugin, args.label, args.warm, args.iterations)
        growth = at_end - at_warm
        ok = growth <= MIB and not still_mapped
        failed |= not ok
        print(
            f"{mode:8}: resident {at_warm / MIB:.2f} MiB after {args.warm:,} iterations, "
            f"{at_end / MIB:.2f} MiB after {args.iterations:,} ({growth / 1024:+.0f} KiB), "
            f"file {'still mapped' if still_mapped else 'unmapped'} at the end, "
            f"{time.monotonic() - started:.0f} s: {'ok' if ok else 'FAILED'}",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
