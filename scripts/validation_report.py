#!/usr/bin/env python3
"""Writes docs/validation-report.md (on standard output) from a ladspa-validate --json run and
the C host's confirmations; called by scripts/validation-report.sh with:

    run.json confirmations.tsv seconds cores uname cpu
"""
import collections
import datetime
import json
import subprocess
import sys

CHECKS = [
    "load", "instantiate-rates", "cleanup-unactivated", "buffer-overrun", "input-written",
    "write-outside-run", "zero-length", "non-finite-output", "denormal-output", "reset",
    "determinism", "inplace", "block-size", "run-adding", "control-range", "rt-safety",
    "fp-environment", "cpu",
]


NOTES = """### Notes on the confirmations and on what the checks mean

- `denormal-output` of caps and of the DPF plugins (Zam*, MVerb, Ma*…): these files turn the
  CPU's flush-to-zero and denormals-are-zero modes on in their constructors, when they are
  loaded (`fp-environment` reports it as "loading the file (its constructors)"), and then rely
  on it. The validator, like ladspa-rs, restores the FP control register after every call, so
  their outputs hold subnormals; the C host's plain `denormal` test keeps the modes the file
  set and sees none (the rows marked **no**), while its `denormal-restored` test, which sets
  the register back as a restoring host does, sees them. Both observations are real: in a
  host that restores the FP environment (or loads the file on another thread than the one that
  runs it) these plugins produce subnormal numbers.
- A crash is reported where the process died, which need not be where memory went wrong:
  cs_chorus's Chorus2/TripleChorus die in `connect_port` at 22050 Hz after an instance at
  8000 Hz ran; the C host, running the same sequence, dies of glibc's "double free or
  corruption" instead, and valgrind shows Chorus2 reading past a 2564-byte table in `run` at
  8000 Hz (checked by hand, not by the script).
- The C host's `rt` test counts `malloc`, `calloc`, `realloc` and `free` only (the validator
  also counts `posix_memalign`, `aligned_alloc` and `memalign`), so its counts are lower.
- `determinism` of tap_doubler is not reproduced by the C host; it is reported by the
  validator only (not confirmed).
- `reset` failures are often small (lsp's multiband plugins differ by about 1e-4 after a
  reset: filter state or smoothing that `activate` does not clear); noise generators and
  plugins with free-running LFOs fail `reset` and `determinism` by design. The validator
  reports what it measures; whether each is a bug is the plugin author's call.
- `zero-length` runs 0 samples with every audio port on an inaccessible page: the seven
  files known to touch sample 0 of an empty block (blepvco, blvco, cmt's limit_peak/limit_rms,
  cs_phaser, mvchpf24, mvclpf24, vco_sawpulse) die there.
- Not detected by any check: reads past a buffer's end and uses of uninitialised memory
  (valgrind finds those), locks that never enter the kernel other than
  `pthread_mutex_lock`, and defects that need other inputs or control settings than the ones
  each check uses. `rt-safety` counts allocator calls, `pthread_mutex_lock` and system calls
  (a seccomp filter on the thread of the runs) made inside `run`.
"""


def name(plugin):
    label = plugin["label"] or "(file)"
    return f"{label}"


def file_of(plugin):
    return plugin["file"].rsplit("/", 1)[-1]


def main():
    run_json, confirmations, seconds, cores, uname, cpu = sys.argv[1:7]
    document = json.load(open(run_json))
    plugins = document["plugins"]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    by = {check: collections.defaultdict(list) for check in CHECKS}
    for plugin in plugins:
        for check in plugin["checks"]:
            by[check["id"]][check["verdict"]].append((plugin, check["message"]))
    files = sorted({p["file"] for p in plugins})
    failing = {file_of(p) + ":" + name(p) for p in plugins
               if any(c["verdict"] == "fail" for c in p["checks"])}
    out = []
    w = out.append
    w("# ladspa-validate over Debian's LADSPA plugins\n")
    w("Made by `scripts/validation-report.sh` from one run of the release `ladspa-validate --json "
      "/usr/lib/ladspa` (do not edit by hand; run the script again).\n")
    w(f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; "
      f"validator at commit `{commit}`")
    w(f"- Machine: {cpu}, {cores} cores, {uname}; default options (`--jobs {cores}`, "
      "10 s timeout per check)")
    w(f"- Run time: **{seconds} s** for {len(files)} files and "
      f"{sum(1 for p in plugins if p['label'] is not None)} plugin types "
      f"({len(plugins)} report entries: files that do not load have one entry without a label)")
    w(f"- Plugins with at least one failing check: **{len(failing)}**\n")

    w("## Summary\n")
    w("| check | failing plugins | warnings | skipped | failing plugins (file: label) |")
    w("|---|---:|---:|---:|---|")
    for check in CHECKS:
        fails = by[check]["fail"]
        listed = ", ".join(f"{file_of(p)}: {name(p)}" for p, _ in fails)
        w(f"| `{check}` | {len(fails)} | {len(by[check]['warn'])} | {len(by[check]['skip'])} | "
          f"{listed} |")
    w("")

    crashes = [(c, p, m) for c in CHECKS for p, m in by[c]["fail"]
               if m.startswith(("killed by", "timed out", "exited with", "the worker"))]
    w("## Crashes and hangs\n")
    w("Each in its own worker process: the run went on. The step is the call the worker was in.\n")
    w("| check | file | plugin | what happened |")
    w("|---|---|---|---|")
    for check, plugin, message in crashes:
        w(f"| `{check}` | {file_of(plugin)} | {name(plugin)} | {message} |")
    w("")

    w("## Confirmed by a second means\n")
    w("`scripts/confirm/ladspa-confirm.c` is an independent host in plain C on `ladspa.h` (no code "
      "shared with the validator: its own default values, its own noise, no FP register "
      "restoring). The script compiled and ran it on the sample in `scripts/confirm/sample.txt`; "
      "\"confirmed\" means it saw the same defect (a crash or hang for `cleanup-unactivated`, "
      "`zero-length`, `control-range` and `instantiate-rates`, exit status 1 for the others; "
      "negative controls must pass).\n")
    w("| file | plugin | check | validator | C host | confirmed |")
    w("|---|---|---|---|---|---|")
    verdicts = {(file_of(p), p["label"], c["id"]): c["verdict"] for p in plugins for c in p["checks"]}
    confirmed = 0
    total = 0
    for line in open(confirmations):
        file, label, check, output, test = line.rstrip("\n").split("\t")
        rc = output.rsplit("rc=", 1)[-1].strip()
        if check == "none":
            negative = {"inplace": "inplace", "rt": "rt-safety", "zero-length": "zero-length"}
            verdict = verdicts.get((file, label, negative.get(test, test)), "?")
            ok = rc == "0"
            shown = f"negative control (`{negative.get(test, test)}`)"
        else:
            verdict = verdicts.get((file, label, check), "?")
            crash_test = check in (
                "cleanup-unactivated", "zero-length", "control-range", "instantiate-rates")
            ok = rc not in ("0", "2") if crash_test else rc == "1"
            shown = f"`{check}`"
        total += 1
        confirmed += ok
        host = output.replace("|", "/").strip()
        signals = {
            "134": "SIGABRT", "139": "SIGSEGV", "136": "SIGFPE", "142": "hang: SIGALRM after 20 s"}
        if crash_test and rc in signals:
            host = f"{signals[rc]} ({host})"
        w(f"| {file} | {label} | {shown} | {verdict} | {host} | {'yes' if ok else '**no**'} |")
    w(f"\n{confirmed} of {total} confirmed.\n")
    w(NOTES)

    w("## Details\n")
    for check in CHECKS:
        rows = by[check]["fail"] + by[check]["warn"]
        if not rows:
            continue
        w(f"### `{check}`\n")
        for verdict in ("fail", "warn"):
            for plugin, message in by[check][verdict]:
                w(f"- {verdict}: {file_of(plugin)}: **{name(plugin)}** "
                  f"({plugin['unique_id']}): {message}")
        w("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
