"""Batch speed (issue 25): 16 files of 60 s stereo 48 kHz audio through Debian's tap_reverb,
side by side in one run:

- serial Python: ``ladspa.apply`` over the files in a loop, the spec loaded once;
- threads: the same from N threads of this process (``ladspa.apply`` releases the GIL), which
  says what the cores give without Dask;
- Dask: ``ladspa.dask.process_files`` on a ``LocalCluster`` of N worker processes, one thread
  each (started before the clock starts: its start-up is reported apart);
- a shell loop over ``ladspa apply --chain`` (one process per file, as people script it);
- ``ladspa apply -o DIR`` over all the files in one process: the command line's own time.

Each round runs every way once, in an order that turns from round to round; the table gives
the median over the rounds, and each ratio is the median of the rounds' ratios. CPU time (user
and system, of this process, its children or the Dask workers) is given beside the wall time:
on a machine that others load, it says what a way costs without the waits. Every way's
outputs are checked byte-equal to the serial run's. Needs the package with its [dask] extra,
tap-plugins, sox, and a release build of the command line:

    cargo build --release -p ladspa-tools --bin ladspa
    python ladspa-python/benches/batch.py [--rounds 3] [--files 16] [--seconds 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import statistics
import subprocess
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from distributed import Client, LocalCluster

import ladspa
import ladspa.dask

ROOT = Path(__file__).resolve().parents[2]
SPEC = ladspa.ChainSpec([("tap_reverb", {})])


def main() -> None:
    parser = argparse.ArgumentParser(description="ladspa.apply serially, on Dask, and ladspa apply")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--files", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    cli = ROOT / "target" / "release" / "ladspa"
    warnings.simplefilter("ignore", ladspa.LadspaWarning)  # reverb tails clip: not the point

    with tempfile.TemporaryDirectory(prefix="batch-bench-", dir=ROOT / "target") as tmp_name:
        tmp = Path(tmp_name)
        inputs = []
        for k in range(args.files):
            path = tmp / "in" / f"take{k:02}.wav"
            path.parent.mkdir(exist_ok=True)
            subprocess.run(["sox", "-n", "-r", "48000", "-b", "16", "-c", "2", str(path), "synth",
                            str(args.seconds), "pinknoise", "vol", "0.3"], check=True)
            inputs.append(path)
        (tmp / "spec.json").write_text(SPEC.to_json())
        env = dict(os.environ, LADSPA_PATH="/usr/lib/ladspa")
        loop = " ".join(
            f"{shlex.quote(str(cli))} apply --quiet --chain {shlex.quote(str(tmp / 'spec.json'))} "
            f"{shlex.quote(str(p))} {shlex.quote(str(tmp / 'loop' / p.name))};"
            for p in inputs
        )
        loaded = SPEC.load()

        def serial() -> None:
            for path in inputs:
                ladspa.apply(path, tmp / "serial" / path.name, loaded)

        def threads() -> None:
            with ThreadPoolExecutor(args.workers) as pool:
                list(pool.map(lambda p: ladspa.apply(p, tmp / "threads" / p.name, loaded), inputs))

        def dask_run() -> None:
            results = ladspa.dask.process_files(inputs, SPEC, tmp / "dask")
            assert all(result.ok for result in results), [r.error for r in results if not r.ok]

        def shell_loop() -> None:
            subprocess.run(["bash", "-c", loop], check=True, env=env)

        def cli_batch() -> None:
            subprocess.run([str(cli), "--quiet", "apply", "--chain", str(tmp / "spec.json"),
                            "-o", str(tmp / "batch"), *map(str, inputs)], check=True, env=env)

        ways = {
            "serial ladspa.apply": serial,
            f"{args.workers} threads of ladspa.apply": threads,
            f"Dask, {args.workers} workers": dask_run,
            "shell loop of ladspa apply": shell_loop,
            "ladspa apply -o (one process)": cli_batch,
        }
        for name in ("serial", "threads", "dask", "loop", "batch"):
            (tmp / name).mkdir()

        started = time.perf_counter()
        cluster = LocalCluster(n_workers=args.workers, processes=True, threads_per_worker=1,
                               dashboard_address=None)
        client = Client(cluster)
        startup = time.perf_counter() - started
        try:
            dask_run()  # warm: the workers load the spec, the page cache holds the inputs
            serial()
            times: dict[str, list[float]] = {name: [] for name in ways}
            cpu: dict[str, list[float]] = {name: [] for name in ways}

            def cpu_seconds() -> float:
                own = resource.getrusage(resource.RUSAGE_SELF)
                children = resource.getrusage(resource.RUSAGE_CHILDREN)
                workers = client.run(lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2]))
                return sum(own[:2]) + sum(children[:2]) + sum(workers.values())
            load = os.getloadavg()[0]
            names = list(ways)
            for round in range(args.rounds):
                for name in names[round % len(names):] + names[:round % len(names)]:
                    used = cpu_seconds()
                    started = time.perf_counter()
                    ways[name]()
                    times[name].append(time.perf_counter() - started)
                    cpu[name].append(cpu_seconds() - used)
        finally:
            client.close()
            cluster.close()
        for name in ("threads", "dask", "loop", "batch"):
            for path in inputs:
                same = (tmp / name / path.name).read_bytes() == (tmp / "serial" / path.name).read_bytes()
                assert same, f"{name}/{path.name} differs from the serial output"

    audio = args.files * args.seconds
    print(f"{args.files} files x {args.seconds} s stereo 48 kHz 16-bit through tap_reverb, "
          f"{args.rounds} rounds; {os.cpu_count()} cores; load average (1 min) before "
          f"{load:.2f}, after {os.getloadavg()[0]:.2f}; Dask cluster start-up {startup:.2f} s "
          "(not counted); every output byte-equal to the serial run's")
    base = "serial ladspa.apply"
    cli_name = "ladspa apply -o (one process)"
    for name, values in times.items():
        ratio = statistics.median(b / v for b, v in zip(times[base], values))
        each = statistics.median(values) / args.files
        print(f"  {name:32} {statistics.median(values):7.2f} s  {audio / statistics.median(values):6.0f}x "
              f"real time  {each * 1000:6.1f} ms/file  speed-up over serial {ratio:.2f}x  "
              f"CPU {statistics.median(cpu[name]):6.2f} s")

    def per_file(table: dict[str, list[float]], name: str, workers: int = 1) -> float:
        return statistics.median(table[name]) * workers / args.files * 1000

    dask_name = f"Dask, {args.workers} workers"
    loop_name = "shell loop of ladspa apply"
    print(f"  a file on Dask costs {per_file(times, dask_name, args.workers):.0f} ms of a worker's wall "
          f"time and {per_file(cpu, dask_name):.0f} ms of CPU; in ladspa apply -o, "
          f"{per_file(times, cli_name):.0f} ms and {per_file(cpu, cli_name):.0f} ms of CPU: Dask adds "
          f"{per_file(cpu, dask_name) - per_file(cpu, cli_name):+.0f} ms of CPU a file")
    print(f"  one ladspa apply process per file adds {per_file(cpu, loop_name) - per_file(cpu, cli_name):+.0f} "
          "ms of CPU a file over one process for all")


if __name__ == "__main__":
    main()
