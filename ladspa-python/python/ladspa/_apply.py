"""``ladspa.apply``: audio files through a chain spec, as ``ladspa apply`` runs them."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, Union

from . import _ladspa
from .errors import LadspaWarning

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

OutputFormat = Union[Literal["same", "8", "16", "24", "32", "float"], Literal[8, 16, 24, 32]]
"""An output sample format, as ``ladspa apply --format`` names it."""


@dataclass(frozen=True)
class Report:
    """What ``ladspa.apply`` did to one file. Plain data: it pickles (``ladspa.dask`` sends it
    back from its workers)."""

    input: str
    """The input file, as given."""
    output: str
    """The output file, as given."""
    frames: int
    """Frames written."""
    channels: int
    """The output's channels."""
    sample_rate: int
    """The sample rate (the input's, kept)."""
    format: str
    """The output's sample format: ``"8"``, ``"16"``, ``"24"``, ``"32"`` or ``"float"``."""
    peak: float
    """The largest absolute sample of the output, before conversion to integers."""
    duration: float
    """The output's length in seconds."""
    latency: int
    """The chain's latency in frames (removed from the output unless it was kept)."""
    clipped: int
    """Samples clipped to full scale in an integer output."""
    warnings: tuple[str, ...] = ()
    """What the job warned about (also issued as ``LadspaWarning``)."""


def apply(
    input: PathLike,
    output: PathLike,
    spec: _ladspa.ChainSpec | _ladspa.LoadedSpec | Iterable[object],
    *,
    format: OutputFormat = "same",
    keep_latency: bool = False,
    block: int = 4096,
    sync: bool = False,
    strict: bool = False,
    progress: Callable[[int, int | None], object] | None = None,
) -> Report:
    """Runs the audio file ``input`` through the chain ``spec`` into the WAV file ``output``:
    the job ``ladspa apply`` runs, so the same chain and options give the same bytes.

    ``spec`` is a ``ChainSpec``, a ``LoadedSpec`` (``spec.load()``: plugins loaded once, for
    many files) or what ``ChainSpec`` takes. The options are the command line's: ``format``
    the output's sample format (``"same"`` as the input, float for lossy inputs; ``8``,
    ``16``, ``24``, ``32``, ``"float"``), ``keep_latency`` (by default the output is shifted to
    line up with the input, and is as long), ``block`` (frames per run), ``sync`` (``fsync``
    before the output replaces the old file; without it, as with ``cp``, a power failure
    soon after the job can leave the output empty or silent), ``strict`` (a control value outside its port's
    range raises ``ControlRangeError`` instead of a warning).

    The job runs with the GIL released. ``progress(done, total)`` is called with the frames
    processed and the input's frames (``None`` when its header does not say); an exception it
    raises stops the job and is raised here, as is ``KeyboardInterrupt`` on Ctrl-C. Reading
    any input format the command line reads (WAV, FLAC, AIFF, Ogg Vorbis, MP3), the output is
    always WAV, and it replaces ``output`` only when complete: a failure leaves the old file as
    it was and no temporary file, and an output that is the input is refused. Warnings (values
    out of range, clipping…) are issued as ``LadspaWarning`` and listed in the ``Report``.
    """
    if not isinstance(spec, (_ladspa.ChainSpec, _ladspa.LoadedSpec)):
        if isinstance(spec, (str, bytes)) or not isinstance(spec, Iterable):
            raise TypeError(
                "spec is a ladspa.ChainSpec, a LoadedSpec (spec.load()) or a list of stages as "
                f"ChainSpec takes them, not {type(spec).__name__}"
            )
        spec = _ladspa.ChainSpec(spec)  # type: ignore[arg-type]
    done = _ladspa._apply(
        input,
        output,
        spec,
        format=format,
        keep_latency=keep_latency,
        block=block,
        sync=sync,
        strict=strict,
        progress=progress,
    )
    report = Report(**{**done, "warnings": tuple(done["warnings"])})
    for message in report.warnings:
        warnings.warn(message, LadspaWarning, stacklevel=2)
    return report
