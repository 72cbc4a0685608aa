"""Every audio file of a folder through a chain of plugins, on a Dask LocalCluster of 2 worker
processes: ``python batch_dask.py IN_DIR OUT_DIR [--chain spec.json]``.

The chain is a ``ladspa.ChainSpec`` (here a gain and ``tap_reverb`` from Debian's
``amp-plugins``/``tap-plugins``, or the JSON file ``--chain`` names: the format
``ladspa apply --chain`` reads). Each file becomes ``OUT_DIR/<name>.wav``; a file that fails is
reported and the others go on. On a real cluster, replace the ``LocalCluster`` with
``Client("scheduler-address:8786")``: the plugins must be installed on every worker, and the
folders reachable under the same paths there.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from distributed import Client, LocalCluster

import ladspa
import ladspa.dask

AUDIO = {".wav", ".flac", ".aif", ".aiff", ".ogg", ".mp3"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("in_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--chain", type=Path, help="a chain spec in JSON (ChainSpec.to_json())")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    if args.chain:
        spec = ladspa.ChainSpec.from_json(args.chain.read_text())
    else:
        spec = ladspa.ChainSpec([("amp.so:amp_stereo", {"Gain": 0.7}), ("tap_reverb", {})])
    paths = sorted(p for p in args.in_dir.iterdir() if p.suffix.lower() in AUDIO)
    args.out_dir.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    # Worker processes, one thread each: plugins run in parallel, and a plugin that crashes
    # takes down one worker (which its nanny restarts), not this script.
    with LocalCluster(n_workers=args.workers, processes=True, threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster):
        results = ladspa.dask.process_files(paths, spec, args.out_dir, progress=sys.stdout.isatty())
    elapsed = time.perf_counter() - started

    for result in results:
        if result.ok:
            print(f"{result.output}: {result.duration:.1f} s, peak {result.peak:.3f}")
        else:
            print(f"{result.input}: FAILED ({result.error_type}) {result.error}")
    failed = sum(not result.ok for result in results)
    audio = sum(result.duration for result in results)
    print(f"{len(results) - failed} of {len(results)} files, {audio:.0f} s of audio in {elapsed:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
