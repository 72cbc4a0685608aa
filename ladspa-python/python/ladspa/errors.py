"""The exceptions of the ladspa package.

Every error the package raises derives from :class:`LadspaError`. Each kind of failure has a
class of its own, which also derives from the built-in exception Python code expects for it:
an unknown port or plugin name is a :class:`KeyError`, a value a plugin cannot take a
:class:`ValueError`, a stage number out of range an :class:`IndexError`, a file that cannot be
loaded an :class:`OSError` (and a missing one a :class:`FileNotFoundError`)::

    try:
        handle.controls["Gian"] = 0.5
    except KeyError as error:  # NoSuchPortError: the message lists the control inputs
        print(error)

Errors about a file carry its path in ``path``; errors about a plugin type its ``label``;
errors of a chain stage its ``stage`` number (``None`` elsewhere).
"""

from __future__ import annotations

__all__ = [
    "LadspaError",
    "LoadError",
    "EmptyPathError",
    "NotRegularFileError",
    "OpenError",
    "NotLadspaError",
    "NoDescriptorsError",
    "EndlessDescriptorsError",
    "PluginFileNotFoundError",
    "FileChangedError",
    "UnusableFileError",
    "DescriptorError",
    "PluginNotFoundError",
    "AmbiguousPluginError",
    "InstantiateError",
    "InstantiateFailedError",
    "ZeroSampleRateError",
    "PortError",
    "NoSuchPortError",
    "NotControlError",
    "NotInputError",
    "AmbiguousPortError",
    "NotFiniteError",
    "DifferentPluginTypeError",
    "OtherPluginTypeError",
    "RunError",
    "BufferCountError",
    "BufferTooShortError",
    "NoRunAddingError",
    "InPlaceBrokenError",
    "InPlaceBufferCountError",
    "InactiveHandleError",
    "ClosedHandleError",
    "ChainError",
    "ZeroChannelsError",
    "ZeroMaxBlockError",
    "ChannelMismatchError",
    "NoAudioOutputsError",
    "NoSuchStageError",
    "BypassChangesChannelsError",
    "ChannelCountError",
    "ChainBufferTooShortError",
    "ScanError",
    "WorkerStartError",
    "NotAWorkerError",
    "WorkerCommunicationError",
    "PresetError",
    "PresetPluginMismatchError",
    "PresetPortError",
    "ChainSpecError",
    "ControlRangeError",
    "AudioFileError",
    "AudioReadError",
    "AudioFormatError",
    "AudioWriteError",
    "OutputIsInputError",
    "NotWavNameError",
    "BatchError",
    "NoClientError",
    "OutputClashError",
    "LadspaWarning",
]


class LadspaError(Exception):
    """The base of every error of the ladspa package.

    ``str(error)`` is the message, also for the classes that derive from :class:`KeyError`
    (which would otherwise show it in quotes).
    """

    path: str | None = None
    """The plugin file the error is about, when it is about one."""
    label: str | None = None
    """The label of the plugin type the error is about, when it is about one."""
    stage: int | None = None
    """The chain stage the error is about, when it comes from a chain."""

    def __str__(self) -> str:
        return Exception.__str__(self)


# Loading plugin files.


class LoadError(LadspaError, OSError):
    """A plugin file could not be loaded."""


class EmptyPathError(LoadError, ValueError):
    """An empty path was given (the dynamic loader would open the program itself)."""


class NotRegularFileError(LoadError):
    """The path names a directory, a FIFO, a device or a socket, not a regular file."""


class OpenError(LoadError):
    """The dynamic loader refused the file (not a shared object, a missing symbol…)."""


class NotLadspaError(LoadError):
    """The file loaded but exports no ``ladspa_descriptor`` function."""


class NoDescriptorsError(LoadError):
    """``ladspa_descriptor(0)`` returned NULL: the file holds no plugin."""


class EndlessDescriptorsError(LoadError):
    """``ladspa_descriptor`` never returned NULL: the file's list of plugins never ends."""


class PluginFileNotFoundError(LoadError, FileNotFoundError):
    """No plugin file of that name along the search path (``LADSPA_PATH``)."""


class FileChangedError(LoadError):
    """A catalog entry's file changed or vanished since it was scanned: scan again."""


class UnusableFileError(LoadError):
    """The file gives no plugin: the loader refused it, or it crashed or hung in a scan."""


class DescriptorError(LadspaError, ValueError):
    """A plugin type was refused by validation (``defect`` says why)."""

    defect: str | None = None
    """What is wrong with the descriptor."""


# Finding plugin types.


class PluginNotFoundError(LadspaError, KeyError):
    """No plugin type of that label, unique ID or name (``available`` lists what there is)."""

    available: list[str] | None = None
    """The labels the file has, when one file was searched."""


class AmbiguousPluginError(LadspaError, LookupError):
    """A name stands for several plugin types: ``candidates`` lists each as ``file:label``."""

    candidates: list[str] | None = None
    """A name for each candidate that picks it alone (``/usr/lib/ladspa/filter.so:lpf``)."""


# Instances.


class InstantiateError(LadspaError):
    """A plugin type could not be instantiated."""


class InstantiateFailedError(InstantiateError):
    """The plugin's ``instantiate`` returned NULL."""


class ZeroSampleRateError(InstantiateError, ValueError):
    """A sample rate of 0 Hz was asked for."""


# Ports and controls.


class PortError(LadspaError):
    """A port could not be read or set."""

    port: str | int | None = None
    """The port as it was named (a name or an index)."""


class NoSuchPortError(PortError, KeyError):
    """No port has that name or index; the message lists the control inputs."""


class NotControlError(PortError, KeyError):
    """The port named is an audio port, not a control."""


class NotInputError(PortError, TypeError):
    """The port named is a control output, which only the plugin sets."""


class AmbiguousPortError(PortError, KeyError):
    """Several control ports have that name: name the one meant by index."""


class NotFiniteError(PortError, ValueError):
    """A control was to be set to NaN or an infinity, which no control means anything as."""


class DifferentPluginTypeError(PortError, TypeError):
    """Control values were to be copied from an instance of another plugin type."""


class OtherPluginTypeError(PortError, ValueError):
    """The port given belongs to another plugin type."""


# Runs.


class RunError(LadspaError):
    """A run was refused (nothing was run)."""


class BufferCountError(RunError, ValueError):
    """The number of channels is not the plugin's number of audio ports of that direction."""


class BufferTooShortError(RunError, ValueError):
    """A channel holds fewer samples than the run asks for."""


class NoRunAddingError(RunError, TypeError):
    """``run_adding`` was asked of a plugin that has none."""


class InPlaceBrokenError(RunError, ValueError):
    """The output shares memory with the input, and the plugin is ``INPLACE_BROKEN``."""


class InPlaceBufferCountError(RunError, ValueError):
    """An in-place run was given a number of buffers that does not fit the plugin."""


class InactiveHandleError(RunError, RuntimeError):
    """The handle is not active: activate it (or use it as a context manager) first."""


class ClosedHandleError(LadspaError, ValueError):
    """The handle was closed; its instance is gone."""


# Chains.


class ChainError(LadspaError):
    """A chain could not be built, changed or run."""


class ZeroChannelsError(ChainError, ValueError):
    """A chain of 0 channels was asked for."""


class ZeroMaxBlockError(ChainError, ValueError):
    """A maximum block of 0 samples was asked for."""


class ChannelMismatchError(ChainError, ValueError):
    """The plugin's audio ports fit none of the channel-mapping rules at this stage."""


class NoAudioOutputsError(ChainError, ValueError):
    """A plugin without audio outputs cannot be a chain stage."""


class NoSuchStageError(ChainError, IndexError):
    """There is no stage of that number (stages count from 0)."""


class BypassChangesChannelsError(ChainError, ValueError):
    """A stage that changes the number of channels cannot be bypassed."""


class ChannelCountError(ChainError, ValueError):
    """The audio given has another number of channels than the chain takes or gives."""


class ChainBufferTooShortError(ChainError, ValueError):
    """A channel holds fewer samples than the run asks for."""


# The catalog.


class ScanError(LadspaError, OSError):
    """A scan failed as a whole: its worker processes could not do their work."""


class WorkerStartError(ScanError):
    """A scan worker process could not be started."""


class NotAWorkerError(ScanError):
    """The program started as a scan worker did not act as one."""


class WorkerCommunicationError(ScanError):
    """Talking to or waiting for the scan workers failed."""


# LRDF presets.


class PresetError(LadspaError, ValueError):
    """An LRDF preset could not be applied to a handle."""


class PresetPluginMismatchError(PresetError):
    """The preset is for another plugin type."""


class PresetPortError(PresetError):
    """The preset sets a port the plugin does not have, or one that is not a control input."""


class ChainSpecError(LadspaError, ValueError):
    """A chain spec's JSON is not a spec (syntax, a missing or unknown field, a wrong type), or
    is of a format version this package does not read."""


class ControlRangeError(PortError, ValueError):
    """A control value is outside its port's declared range at the file's sample rate, and
    ``ladspa.apply`` was asked to be ``strict`` (else it warns and applies the value)."""


# Audio files (``ladspa.apply``, ``ladspa.dask``).


class AudioFileError(LadspaError, OSError):
    """An audio file could not be read, written or processed; ``path`` is the audio file. The
    output file is left as it was (it is replaced only by a complete output)."""


class AudioReadError(AudioFileError):
    """The input file could not be opened or read."""


class AudioFormatError(AudioFileError, ValueError):
    """The input file is not audio in a format the package reads (WAV, FLAC, AIFF, Ogg
    Vorbis, MP3)."""


class AudioWriteError(AudioFileError):
    """The output file could not be created, written or put in its place."""


class OutputIsInputError(AudioFileError, ValueError):
    """The output is the input file (through some path or link): writing it would destroy the
    input."""


class NotWavNameError(AudioFileError, ValueError):
    """The output's name ends in another audio format's extension: only WAV is written."""


# Batches (``ladspa.dask``).


class BatchError(LadspaError):
    """A batch was refused before any work started (the errors of single files are entries of
    its results, not exceptions)."""


class NoClientError(BatchError, RuntimeError):
    """``ladspa.dask.process_files`` was given no Dask client and none is active: the message
    says how to start one."""


class OutputClashError(BatchError, ValueError):
    """Two inputs of a batch would be written to the same output file (``a/take.flac`` and
    ``b/take.wav`` both give ``take.wav``), or an output would be one of the inputs."""


class LadspaWarning(UserWarning):
    """Something worth knowing about a job that still did what was asked: a control value
    outside its port's range, clipped samples, a chain that changes the channel count, an input
    shorter than its header said."""
