"""A host for LADSPA audio plugins: load plugin files, read their ports, run numpy arrays.

::

    import numpy as np
    import ladspa

    amp = ladspa.load("amp.so")["amp_mono"]          # a file along LADSPA_PATH, a label
    with amp.instantiate(48_000) as handle:          # active inside the block
        handle.controls["Gain"] = 0.5
        out = handle.run(np.ones(1024, dtype=np.float32))

    chain = ladspa.Chain(2, 48_000, ["filter.so:lpf", ("amp.so:amp_stereo", {"Gain": 0.5})])
    stereo = chain(np.zeros((2, 48_000), dtype=np.float32), 48_000)

Plugins are named as everywhere in the project: a file (``amp.so``, a path), a plugin type of
a file (``filter.so:lpf``), or a label or unique ID found in exactly one file along
``LADSPA_PATH`` (a label in two files is an ``AmbiguousPluginError`` listing both).

Two layers, as in python-ladspa, the binding this project began from: ``ladspa._ladspa``
holds builtin types (``Plugin``, ``Descriptor``, ``Handle``, ``Chain``…) that hold only the
Rust library's values and navigate downward into fresh objects, so they make no reference
cycles; this module's subclasses add the natural interface, with back-references kept in each
object's ``__dict__``: ``plugin.descriptors[0].plugin is plugin``, ``handle.descriptor is
descriptor``. Python's cycle collector collects them, and the plugin file is unloaded once the
last object of it is gone. Navigation makes objects of the classes named by
``Plugin.descriptor_class`` and ``Descriptor.handle_class``, so subclasses of your own come
out of ``plugin[label]`` and ``instantiate``.

Loading a plugin file runs its code in this process: load only plugins you trust.
``ladspa.scan()`` lists plugins without loading any of them here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any, Union, overload

from . import _ladspa, errors
from ._apply import Report, apply
from ._ladspa import (
    FLUSH_DENORMALS_SUPPORTED,
    Catalog,
    CatalogEntry,
    CatalogFile,
    Controls,
    LoadedSpec,
    PluginRdf,
    Port,
    Preset,
    StageSpec,
    find_file,
    resolve,
    scan,
)
from .errors import (
    LadspaError,
    LoadError,
    EmptyPathError,
    NotRegularFileError,
    OpenError,
    NotLadspaError,
    NoDescriptorsError,
    EndlessDescriptorsError,
    PluginFileNotFoundError,
    FileChangedError,
    UnusableFileError,
    DescriptorError,
    PluginNotFoundError,
    AmbiguousPluginError,
    InstantiateError,
    InstantiateFailedError,
    ZeroSampleRateError,
    PortError,
    NoSuchPortError,
    NotControlError,
    NotInputError,
    AmbiguousPortError,
    NotFiniteError,
    DifferentPluginTypeError,
    OtherPluginTypeError,
    RunError,
    BufferCountError,
    BufferTooShortError,
    NoRunAddingError,
    InPlaceBrokenError,
    InPlaceBufferCountError,
    InactiveHandleError,
    ClosedHandleError,
    ChainError,
    ZeroChannelsError,
    ZeroMaxBlockError,
    ChannelMismatchError,
    NoAudioOutputsError,
    NoSuchStageError,
    BypassChangesChannelsError,
    ChannelCountError,
    ChainBufferTooShortError,
    ChainSpecError,
    ScanError,
    WorkerStartError,
    NotAWorkerError,
    WorkerCommunicationError,
    PresetError,
    PresetPluginMismatchError,
    PresetPortError,
    ControlRangeError,
    AudioFileError,
    AudioReadError,
    AudioFormatError,
    AudioWriteError,
    OutputIsInputError,
    NotWavNameError,
    BatchError,
    NoClientError,
    OutputClashError,
    LadspaWarning,
)

__all__ = [
    "Plugin",
    "Descriptor",
    "Handle",
    "Chain",
    "ChainSpec",
    "StageSpec",
    "LoadedSpec",
    "apply",
    "Report",
    "Stage",
    "StageControls",
    "Port",
    "Controls",
    "Catalog",
    "CatalogEntry",
    "CatalogFile",
    "PluginRdf",
    "Preset",
    "load",
    "find",
    "find_file",
    "resolve",
    "scan",
    "FLUSH_DENORMALS_SUPPORTED",
    "errors",
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
    "ChainSpecError",
    "ScanError",
    "WorkerStartError",
    "NotAWorkerError",
    "WorkerCommunicationError",
    "PresetError",
    "PresetPluginMismatchError",
    "PresetPortError",
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

Mapping.register(Controls)

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
"""A path: ``str``, ``bytes`` or ``os.PathLike``."""


class Handle(_ladspa.Handle):
    """An instance of a plugin type, made by ``descriptor.instantiate(sample_rate)``.

    ``handle.descriptor`` is the descriptor it was made from (the same object). A handle starts
    inactive; ``with handle:`` activates it and deactivates it at the end of the block, and
    ``activate()``/``deactivate()`` do it by hand. ``handle.controls`` maps control ports to
    values; ``handle.run(inputs)`` runs a ``(channels, frames)`` float32 array through it (see
    ``_ladspa.Handle.run``).
    """

    descriptor: Descriptor
    """The plugin type this is an instance of."""

    def __init__(self, descriptor: _ladspa.Descriptor, sample_rate: int) -> None:
        self.descriptor = descriptor  # type: ignore[assignment]

    def __enter__(self) -> Handle:
        super().__enter__()
        return self


class Descriptor(_ladspa.Descriptor):
    """One plugin type of a loaded file: ``plugin["amp_mono"]``, ``plugin[1048]``.

    ``descriptor.plugin`` is the plugin it came from (the same object, and
    ``descriptor in plugin.descriptors``). ``instantiate(sample_rate)`` makes a
    ``handle_class`` instance whose ``descriptor`` is this object.
    """

    handle_class: type[_ladspa.Handle] = Handle
    plugin: Plugin
    """The loaded file this plugin type belongs to."""

    def __init__(
        self, plugin: _ladspa.Plugin, key: str | bytes | int | None = None, *, index: int | None = None
    ) -> None:
        self.plugin = plugin  # type: ignore[assignment]

    def instantiate(self, sample_rate: int) -> Handle:  # type: ignore[override]
        """Makes an instance at ``sample_rate`` Hz (an object of ``handle_class``), inactive,
        its control inputs at their defaults."""
        return super().instantiate(sample_rate)  # type: ignore[return-value]


class Plugin(_ladspa.Plugin):
    """A loaded plugin file and its plugin types.

    ``Plugin(path)`` loads a path; ``ladspa.load(name)`` also finds a bare file name along
    ``LADSPA_PATH``. ``plugin.descriptors`` holds its plugin types (made once, each with
    ``descriptor.plugin is plugin``); ``plugin["amp_mono"]`` (a label, ``str`` or ``bytes``)
    and ``plugin[1048]`` (a unique ID) pick one of them, and a miss is a
    ``PluginNotFoundError`` (a ``KeyError``) listing the labels. Iterating gives the
    descriptors.
    """

    descriptor_class: type[_ladspa.Descriptor] = Descriptor
    descriptors: tuple[Descriptor, ...]
    """The valid plugin types of the file, in its order."""

    def __init__(self, path: PathLike, *, keep_loaded: bool = False) -> None:
        make = type(self).descriptor_class
        self.descriptors = tuple(
            make(self, index=position)  # type: ignore[misc]
            for position in range(len(self))
        )

    def __getitem__(self, key: str | bytes | int) -> Descriptor:
        return self.descriptors[self.index_of(key)]

    def __iter__(self) -> Iterator[Descriptor]:
        return iter(self.descriptors)

    @classmethod
    def load(cls, name: PathLike, *, keep_loaded: bool = False) -> Plugin:
        """Loads the plugin file ``name``: a path (with a ``/``) as it is, a bare file name
        (``"amp.so"``, or ``"amp"``) along ``LADSPA_PATH`` and the usual directories, as the
        LADSPA SDK's tools find it. ``PluginFileNotFoundError`` (a ``FileNotFoundError``) when
        there is none."""
        return cls(find_file(name), keep_loaded=keep_loaded)


def load(name: PathLike, *, keep_loaded: bool = False) -> Plugin:
    """Loads a plugin file: a path, or a bare file name searched along ``LADSPA_PATH`` (and
    ``~/.ladspa``, ``/usr/local/lib/ladspa``, ``/usr/lib/ladspa`` when it is unset), like the
    SDK's tools. ``keep_loaded=True`` keeps the file mapped for the life of the process (for
    plugins that leave threads running). Loading runs the file's code: load only plugins you
    trust."""
    return Plugin.load(name, keep_loaded=keep_loaded)


def find(name: str, *, keep_loaded: bool = False) -> Descriptor:
    """The plugin type ``name`` stands for, loaded: ``"filter.so:lpf"``, ``"/path/amp.so:1048"``,
    a label or unique ID found in exactly one file along ``LADSPA_PATH`` (else
    ``AmbiguousPluginError`` listing each candidate as ``file:label``), or a file holding one
    plugin type. Names are resolved by ``resolve`` (files read by worker processes), then the
    file is loaded here and ``descriptor.plugin`` is its ``Plugin``."""
    path, index = resolve(name)
    plugin = load(path, keep_loaded=keep_loaded)
    for descriptor in plugin.descriptors:
        if descriptor.index == index:
            return descriptor
    raise errors.PluginNotFoundError(f"{path} no longer holds plugin {index} ({name})")


class StageControls(MutableMapping[Union[str, int], float]):
    """The control ports of one chain stage, by name or index: setting one sets it on every
    instance of the stage (each replica of a mono plugin on a multichannel chain); reading
    gives the first instance's value."""

    def __init__(self, chain: _ladspa.Chain, stage: int) -> None:
        self._chain = chain
        self._stage = stage

    def __getitem__(self, key: str | int) -> float:
        return self._chain.control(self._stage, key)

    def __setitem__(self, key: str | int, value: float) -> None:
        self._chain.set_control(self._stage, key, value)

    def __delitem__(self, key: str | int) -> None:
        raise TypeError("a plugin's controls cannot be removed")

    def __iter__(self) -> Iterator[str | int]:
        ports = self._chain.descriptor(self._stage).ports
        names = [port.name for port in ports if port.is_control]
        for port in ports:
            if port.is_control:
                shared = names.count(port.name) > 1 or not port.name
                yield port.index if shared else port.name

    def __len__(self) -> int:
        return sum(1 for port in self._chain.descriptor(self._stage).ports if port.is_control)

    def __repr__(self) -> str:
        return f"<StageControls {dict(self.items())!r}>"


class Stage:
    """One stage of a chain, by number: ``chain[0]``. ``controls`` maps its control ports,
    ``bypass`` turns it off (its input passes through, delayed by its latency)."""

    def __init__(self, chain: Chain, index: int) -> None:
        self.chain = chain
        """The chain."""
        self.index = index
        """The stage's number, from 0."""

    @property
    def descriptor(self) -> Descriptor:
        """The stage's plugin type."""
        return self.chain.descriptors[self.index]

    @property
    def controls(self) -> StageControls:
        """The stage's control ports, on every instance at once."""
        return StageControls(self.chain, self.index)

    @property
    def bypass(self) -> bool:
        """Whether the stage is bypassed."""
        return self.chain.is_bypassed(self.index)

    @bypass.setter
    def bypass(self, on: bool) -> None:
        self.chain.set_bypass(self.index, on)

    @property
    def latency(self) -> int:
        """The stage's latency in samples, after the last run."""
        return self.chain.stage_latency(self.index)

    def __repr__(self) -> str:
        state = ", bypassed" if self.bypass else ""
        return f"<Stage {self.index}: {self.descriptor.label}{state}>"


ControlValues = Union[Mapping[Union[str, int], float], Mapping[str, float], Mapping[int, float]]
"""Control values by port name, by port index, or both (``{"Gain": 0.5}``, ``{0: 0.5}``).
Each key type is named because a mapping's key type is invariant: a ``dict[str, float]`` is
not a ``Mapping[str | int, float]`` to a type checker."""

ChainStage = Union[str, _ladspa.Descriptor, tuple[Union[str, _ladspa.Descriptor], ControlValues]]
"""A stage as ``Chain`` takes it: a name, a descriptor, or ``(plugin, {port: value})``."""


class Chain(_ladspa.Chain):
    """N channels through plugin stages, in the style of pedalboard.

    ``Chain(channels, sample_rate, plugins)``: ``plugins`` lists the stages, each a name
    (``"filter.so:lpf"``), a descriptor, or a ``(plugin, {port: value})`` pair. ``add`` adds
    more and returns the ``Stage``; ``chain[k]`` is stage ``k`` (from 0), ``descriptors`` the
    stages' plugin types. ``chain.process(audio, sample_rate)`` or ``chain(audio,
    sample_rate)`` runs a ``(channels, frames)`` array and returns float32, the plugins' state
    cleared first unless ``reset=False``; ``process_offline`` removes the chain's latency.
    """

    descriptors: list[Descriptor]
    """The plugin type of each stage."""

    def __new__(
        cls,
        channels: int,
        sample_rate: int,
        plugins: Iterable[ChainStage] | None = None,
        *,
        max_block: int = 8192,
    ) -> Chain:
        return super().__new__(cls, channels, sample_rate, None, max_block=max_block)  # type: ignore[return-value]

    def __init__(
        self,
        channels: int,
        sample_rate: int,
        plugins: Iterable[ChainStage] | None = None,
        *,
        max_block: int = 8192,
    ) -> None:
        self.descriptors = []
        for stage in plugins or ():
            if isinstance(stage, tuple):
                plugin, controls = stage
                self.add(plugin, dict(controls))
            else:
                self.add(stage)

    # The first form gives a dict literal of names and indices together its type; the second
    # takes a dict of one key type (see ``ControlValues``).
    @overload  # type: ignore[override]
    def add(
        self,
        plugin: str | _ladspa.Descriptor,
        controls: Mapping[Union[str, int], float] | None = None,
        **named: float,
    ) -> Stage: ...
    @overload
    def add(
        self,
        plugin: str | _ladspa.Descriptor,
        controls: ControlValues | None = None,
        **named: float,
    ) -> Stage: ...
    def add(
        self,
        plugin: str | _ladspa.Descriptor,
        controls: ControlValues | None = None,
        **named: float,
    ) -> Stage:
        """Adds a stage at the end: ``plugin`` (a name or a descriptor), its controls set from
        ``controls`` (a mapping by port name or index) and the keyword arguments. Returns the
        ``Stage``. See ``_ladspa.Chain.add``."""
        descriptor = find(plugin) if isinstance(plugin, str) else plugin
        index = super().add(descriptor, dict(controls) if controls is not None else None, **named)
        self.descriptors.append(descriptor)  # type: ignore[arg-type]
        return Stage(self, index)

    def __getitem__(self, index: int) -> Stage:
        stages = len(self)
        if not -stages <= index < stages:
            raise errors.NoSuchStageError(f"no stage {index}: the chain has {stages} stage(s)")
        return Stage(self, index % stages)

    def __iter__(self) -> Iterator[Stage]:
        return (Stage(self, index) for index in range(len(self)))

    def to_spec(self) -> ChainSpec:
        """The chain as a ``ChainSpec``, to send to another process: each stage's plugin named
        by its file and label (the file's name alone when it is the one found along
        ``LADSPA_PATH``, else its path), every control input at its current value (by name, or
        by index where control inputs share a name), and its bypass."""
        stages = []
        for stage in self:
            descriptor = stage.descriptor
            path = descriptor.plugin.path if isinstance(descriptor, Descriptor) else descriptor.path
            name = os.path.basename(path)
            try:
                found = find_file(name)
                plugin_file = name if os.path.samefile(found, path) else path
            except (OSError, LadspaError):
                plugin_file = path
            inputs = [port for port in descriptor.ports if port.is_control and port.is_input]
            names = [port.name for port in inputs]
            controls: dict[str | int, float] = {}
            for port in inputs:
                key: str | int = port.name if port.name and names.count(port.name) == 1 else port.index
                controls[key] = self.control(stage.index, port.index)
            stages.append(StageSpec(f"{plugin_file}:{descriptor.label}", controls, bypass=stage.bypass))
        return ChainSpec(stages)


class ChainSpec(_ladspa.ChainSpec):
    """A chain, described by plain names and numbers, that travels to other processes and
    machines (it pickles) and is rebuilt wherever the same plugins are installed.

    ``ChainSpec([("amp.so:amp_mono", {"Gain": 0.5}), ("delay.so:delay_5s", {0: 0.1})])``: each
    stage a plugin named as the command line names it, with control values by port name
    (``str``) or index (``int``); a stage may be a bare name, or carry its bypass as a third
    item (``("delay.so:delay_5s", {0: 0.1}, True)``) or be a ``StageSpec``. ``to_json()`` and
    ``ChainSpec.from_json(text)`` give the versioned JSON that ``ladspa apply --chain
    spec.json`` reads. ``build(channels, sample_rate)`` makes a ``Chain``; ``load()`` a
    ``LoadedSpec`` (plugins loaded once, for many files); ``ladspa.apply(input, output, spec)``
    runs a file through it.
    """

    def build(self, channels: int, sample_rate: int, *, max_block: int = 8192) -> Chain:
        """A new ``Chain`` of this spec's stages for ``channels`` channels at ``sample_rate``
        Hz: plugins resolved and loaded as ``load`` does (errors name the stage), controls
        set, bypass applied."""
        loaded = self.load()
        chain = Chain(channels, sample_rate, max_block=max_block)
        for descriptor, controls, stage in zip(loaded.descriptors, loaded.controls, self.stages):
            plugin = load(descriptor.path)
            navigable = next(d for d in plugin.descriptors if d.index == descriptor.index)
            # A Mapping's key type is invariant: widen {int: float} to the keys add takes.
            added = chain.add(navigable, dict[str | int, float](controls.items()))
            if stage.bypass:
                added.bypass = True
        return chain


