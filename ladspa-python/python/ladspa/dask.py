"""Audio files through a chain on a Dask cluster: ``process_files(paths, spec, out_dir)``.

Install with the extra: ``pip install './ladspa-python[dask]'``. ::

    from distributed import Client, LocalCluster
    import ladspa
    import ladspa.dask

    spec = ladspa.ChainSpec([("amp.so:amp_stereo", {"Gain": 0.5}), ("tap_reverb", {})])
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster):
        results = ladspa.dask.process_files(["a.wav", "b.flac"], spec, "out")
    for result in results:
        print(result.input, result.error or f"{result.frames} frames, peak {result.peak:.3f}")

The spec travels to the workers as its JSON; each worker process resolves and loads its
plugins once (``ChainSpec.load``) and runs every file it is given through fresh instances
(``ladspa.apply``), so each output is byte for byte what ``ladspa.apply`` and ``ladspa apply``
write for that file. One file's failure is that file's entry in the results: a corrupt input,
an unwritable output, or a plugin that kills the worker process (Dask retries the file on
other workers as many times as its ``distributed.scheduler.allowed-failures`` says, then gives
up on that file only).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    import distributed
    from dask.bag import Bag
except ImportError:  # the extra is not installed (the ImportError shows as the context)
    raise ImportError(
        "ladspa.dask needs Dask's distributed scheduler: pip install 'ladspa-host[dask]' "
        "(or pip install 'dask[distributed]')"
    )

from . import _ladspa
from ._apply import OutputFormat, PathLike, apply
from .errors import NoClientError, OutputClashError

__all__ = ["FileResult", "process_files", "output_paths"]


@dataclass(frozen=True)
class FileResult:
    """What became of one file of a batch: its output's frames, peak and duration, or the
    error that stopped it (then ``frames``, ``peak`` and ``duration`` are 0)."""

    input: str
    """The input file, as given."""
    output: str
    """The output file it was (or would have been) written to."""
    frames: int = 0
    """Frames written."""
    peak: float = 0.0
    """The largest absolute sample of the output."""
    duration: float = 0.0
    """The output's length in seconds."""
    error: str | None = None
    """Why the file failed (``None`` when it succeeded)."""
    error_type: str | None = None
    """The class of the error (``"AudioFormatError"``, ``"KilledWorker"``…)."""
    warnings: tuple[str, ...] = ()
    """What the job warned about (out-of-range values, clipping…)."""

    @property
    def ok(self) -> bool:
        """Whether the file was processed."""
        return self.error is None


def output_paths(paths: Iterable[PathLike], out_dir: PathLike) -> list[str]:
    """The output of each input in ``out_dir``: the input's name with ``.wav``. Raises
    ``OutputClashError`` when two inputs give the same output or an output is an input."""
    inputs = [os.fsdecode(path) for path in paths]
    outputs = [os.path.join(os.fsdecode(out_dir), Path(path).stem + ".wav") for path in inputs]
    seen: dict[str, str] = {}
    for input, output in zip(inputs, outputs):
        key = os.path.abspath(output)
        if key in seen:
            raise OutputClashError(
                f"{seen[key]} and {input} would both be written to {output}: rename one, or "
                "process them into different directories"
            )
        seen[key] = input
    by_path = {os.path.abspath(input) for input in inputs}
    for input, output in zip(inputs, outputs):
        if os.path.abspath(output) in by_path:
            raise OutputClashError(
                f"{output} is an input of the batch and the output of {input}: choose another "
                "out_dir"
            )
    return outputs


def process_files(
    paths: Iterable[PathLike] | Bag,
    spec: _ladspa.ChainSpec,
    out_dir: PathLike,
    client: distributed.Client | None = None,
    *,
    format: OutputFormat = "same",
    keep_latency: bool = False,
    block: int = 4096,
    strict: bool = False,
    progress: bool = False,
    on_result: Callable[[FileResult], object] | None = None,
) -> list[FileResult]:
    """Runs each file of ``paths`` (a list of paths or a ``dask.bag`` of them) through the
    chain ``spec`` on the Dask cluster of ``client`` (by default the active client), writing
    each output into ``out_dir`` under its input's name with ``.wav``. Returns one
    ``FileResult`` per input, in their order.

    Before any work starts, two inputs that would give the same output (or an output that is an
    input) raise ``OutputClashError``, a missing ``out_dir`` ``FileNotFoundError``, and no
    client ``NoClientError``. Then every file is a task of its own: a file that fails (a
    corrupt input, an unwritable output, a plugin that kills its worker) is an entry with
    ``error`` set, and the others go on. The options are ``ladspa.apply``'s. ``progress``
    shows Dask's progress bar (``distributed.progress``); ``on_result`` is called in this
    process with each file's result as it arrives.

    ``out_dir`` and the inputs must be reachable under the same paths on every worker (a
    shared file system), and the spec's plugins installed on every worker.
    """
    if client is None:
        try:
            client = distributed.default_client()
        except ValueError:
            raise NoClientError(
                "no Dask client is active: start one before process_files, e.g. "
                "`from distributed import Client, LocalCluster; client = Client(LocalCluster("
                "n_workers=2, threads_per_worker=1))` on this machine or "
                "`client = Client('scheduler-address:8786')` for a cluster, or pass client="
            ) from None
    if not isinstance(spec, _ladspa.ChainSpec):
        raise TypeError(
            "spec is a ladspa.ChainSpec (plain data that travels to the workers), not "
            f"{type(spec).__name__}; a chain gives its spec with chain.to_spec()"
        )
    if isinstance(paths, Bag):
        paths = client.compute(paths).result()
    inputs = [os.fsdecode(path) for path in paths]  # type: ignore[union-attr]
    outputs = output_paths(inputs, out_dir)
    if not os.path.isdir(out_dir):
        raise FileNotFoundError(f"out_dir {os.fsdecode(out_dir)}: no such directory")
    batch = uuid.uuid4().hex[:12]  # task keys of this batch's own: no result of another reused
    options = {"format": format, "keep_latency": keep_latency, "block": block, "strict": strict}
    futures = client.map(
        _process_file, inputs, outputs, spec=spec, options=options, pure=False,
        key=[f"ladspa-apply-{batch}-{k}" for k in range(len(inputs))],
    )
    if progress:
        distributed.progress(futures)
    position = {future.key: k for k, future in enumerate(futures)}
    results: list[FileResult | None] = [None] * len(futures)
    finished = distributed.as_completed(futures)
    # Each result is released once it is here: a worker that dies later (a plugin crashing it
    # on another file) then holds no finished file that Dask would run again.
    del futures
    for future in finished:
        k = position[future.key]
        results[k] = _result_of(future, inputs[k], outputs[k])
        future.release()
        if on_result is not None:
            on_result(results[k])  # type: ignore[arg-type]
    return [result for result in results if result is not None]


def _result_of(future: distributed.Future, input: str, output: str) -> FileResult:
    """A finished task's result, or its failure as the file's entry."""
    if future.status != "error":
        result: FileResult = future.result()
        return result
    error = future.exception()
    name = type(error).__name__
    if isinstance(error, distributed.KilledWorker):
        message = (
            f"{input}: the worker process died while processing it, every time it was tried "
            "(a plugin crashed it, or it ran out of memory)"
        )
    else:
        message = f"{input}: {error}"
    return FileResult(input=input, output=output, error=message, error_type=name)


# Each worker process keeps the specs it has loaded, by their JSON: plugins are resolved and
# loaded once per process, and every file gets fresh instances.
_loaded: dict[str, _ladspa.LoadedSpec] = {}
_loading = threading.Lock()


def _loaded_spec(spec: _ladspa.ChainSpec) -> _ladspa.LoadedSpec:
    key = spec.to_json()
    with _loading:
        loaded = _loaded.get(key)
        if loaded is None:
            loaded = _loaded[key] = spec.load()
        return loaded


def _process_file(input: str, output: str, *, spec: _ladspa.ChainSpec, options: Any) -> FileResult:
    """A worker's task: one file through the spec, its failure as its result."""
    try:
        report = apply(input, output, _loaded_spec(spec), **options)
    except Exception as error:  # one file's failure is its entry, whatever it is
        return FileResult(input=input, output=output, error=str(error),
                          error_type=type(error).__name__)
    return FileResult(
        input=input, output=output, frames=report.frames, peak=report.peak,
        duration=report.duration, warnings=report.warnings,
    )
