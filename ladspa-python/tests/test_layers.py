"""The two layers: builtin types that navigate downward into fresh objects, and the high-level
subclasses whose back-references make the seed's cycles, which the cycle collector collects."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import numpy as np
import pytest

import ladspa
from ladspa import _ladspa


def mapped(path: Path | str) -> bool:
    """Whether the file is mapped into this process."""
    with open("/proc/self/maps") as maps:
        return str(path) in maps.read()


def test_builtin_layer_is_usable_by_itself_and_tree_shaped(reference: Path) -> None:
    gc.collect()  # what earlier tests left
    gc.disable()  # the builtin layer needs no cycle collection
    try:
        builtin_layer(reference)
    finally:
        gc.enable()


def builtin_layer(reference: Path) -> None:
    plugin = _ladspa.load(reference / "tp_amp.so")
    assert type(plugin) is _ladspa.Plugin
    descriptor = plugin["tp_amp_mono"]
    assert type(descriptor) is _ladspa.Descriptor
    # Navigation makes fresh objects, equal as plugin types.
    again = plugin["tp_amp_mono"]
    assert again is not descriptor and again == descriptor and hash(again) == hash(descriptor)
    assert plugin[7001] == descriptor
    assert not hasattr(descriptor, "plugin") and not hasattr(descriptor, "__dict__")
    handle = descriptor.instantiate(48_000)
    assert type(handle) is _ladspa.Handle and not hasattr(handle, "descriptor")
    handle.controls["Gain"] = 0.5
    handle.activate()
    assert handle.run(np.ones((1, 4), dtype=np.float32)).tolist() == [[0.5] * 4]
    assert [d.label for d in plugin] == ["tp_amp_mono", "tp_amp_stereo"]
    # No cycles: dropping the last reference frees everything at once, and the file goes.
    del plugin, descriptor, again, handle
    assert not mapped(reference / "tp_amp.so")


def test_high_level_navigation_returns_the_same_objects_both_ways(reference: Path) -> None:
    plugin = ladspa.load(reference / "tp_amp.so")
    mono = plugin["tp_amp_mono"]
    assert mono is plugin.descriptors[0] is plugin[7001]
    assert mono.plugin is plugin
    assert list(plugin) == list(plugin.descriptors)
    handle = mono.instantiate(44_100)
    assert isinstance(handle, ladspa.Handle) and handle.descriptor is mono
    assert handle.sample_rate == 44_100
    assert "tp_amp_stereo" in plugin and b"tp_amp_stereo" in plugin and 7002 in plugin
    assert "nope" not in plugin


def test_a_miss_is_a_key_error_listing_the_labels(reference: Path) -> None:
    plugin = ladspa.load(reference / "tp_amp.so")
    with pytest.raises(KeyError) as caught:
        plugin["amp_mono"]
    error = caught.value
    assert isinstance(error, ladspa.PluginNotFoundError)
    assert "tp_amp_mono (7001), tp_amp_stereo (7002)" in str(error)
    assert error.available == ["tp_amp_mono", "tp_amp_stereo"]
    assert not str(error).startswith("'")  # the message, not KeyError's quoted repr
    with pytest.raises(KeyError):
        plugin[9999]
    with pytest.raises(TypeError):
        plugin[1.5]  # type: ignore[index]


def test_reprs_say_what_an_object_is(reference: Path) -> None:
    plugin = ladspa.load(reference / "tp_amp.so")
    assert repr(plugin).startswith("<ladspa.Plugin ") and "tp_amp_mono, tp_amp_stereo" in repr(plugin)
    assert repr(plugin[7001]).startswith('<ladspa.Descriptor tp_amp_mono (7001) "Test Mono Amplifier"')
    handle = plugin[7001].instantiate(48_000)
    assert repr(handle) == "<ladspa.Handle tp_amp_mono (7001) at 48000 Hz, inactive>"
    assert repr(plugin[7001].ports[0]).startswith('<Port 0 "Gain": control input')
    assert repr(handle.controls) == "<Controls {'Gain': 1.0}>"


def test_cycles_are_collected_and_the_file_unloaded(reference: Path) -> None:
    path = reference / "tp_delay.so"
    plugin = ladspa.load(path)
    descriptor = plugin.descriptors[0]
    handle = descriptor.instantiate(48_000)
    refs = [weakref.ref(x) for x in (plugin, descriptor, handle)]
    assert plugin in gc.get_referents(descriptor.__dict__)  # the seed's cycle
    del plugin, descriptor, handle
    assert mapped(path)  # the cycle holds it until the collector runs
    gc.collect()
    assert all(ref() is None for ref in refs)
    assert not mapped(path)


class MyHandle(ladspa.Handle):
    """A user's handle that adds a cycle of its own and an attribute."""

    def __init__(self, descriptor: ladspa.Descriptor, sample_rate: int) -> None:
        super().__init__(descriptor, sample_rate)
        self.me = self
        self.note = "mine"


class MyDescriptor(ladspa.Descriptor):
    handle_class = MyHandle


class MyPlugin(ladspa.Plugin):
    descriptor_class = MyDescriptor


def test_navigation_makes_the_classes_the_hooks_name_and_collects_them(reference: Path) -> None:
    path = reference / "tp_amp.so"
    plugin = MyPlugin.load(path)
    assert isinstance(plugin["tp_amp_mono"], MyDescriptor)
    handle = plugin["tp_amp_mono"].instantiate(48_000)
    assert isinstance(handle, MyHandle) and handle.note == "mine" and handle.me is handle
    ref = weakref.ref(handle)
    del plugin, handle
    gc.collect()
    assert ref() is None and not mapped(path)


def test_builtin_subclasses_of_a_user_get_their_hooks_too(reference: Path) -> None:
    class Counted(_ladspa.Handle):
        made = 0

        def __init__(self, descriptor: _ladspa.Descriptor, sample_rate: int) -> None:
            Counted.made += 1

    class Described(_ladspa.Descriptor):
        handle_class = Counted

    class Loaded(_ladspa.Plugin):
        descriptor_class = Described

    handle = Loaded(reference / "tp_amp.so")["tp_amp_mono"].instantiate(8_000)
    assert type(handle) is Counted and Counted.made == 1


def test_weak_references_work_on_builtin_objects(reference: Path) -> None:
    plugin = _ladspa.load(reference / "tp_amp.so")
    descriptor = plugin["tp_amp_mono"]
    handle = descriptor.instantiate(48_000)
    chain = _ladspa.Chain(1, 48_000)
    refs = [weakref.ref(x) for x in (plugin, descriptor, handle, chain, descriptor.ports[0])]
    del plugin, descriptor, handle, chain
    assert all(ref() is None for ref in refs)


def test_descriptors_outlive_their_plugin_object(reference: Path) -> None:
    descriptor = _ladspa.load(reference / "tp_amp.so")["tp_amp_stereo"]
    gc.collect()
    assert mapped(reference / "tp_amp.so")  # the descriptor keeps the file loaded
    assert descriptor.audio_input_count == 2


def test_ports_describe_names_kinds_hints_and_defaults(reference: Path) -> None:
    sine = ladspa.load(reference / "tp_sine.so")["tp_sine"]
    frequency = sine.ports[0]
    assert (frequency.name, frequency.kind, frequency.direction) == ("Frequency", "control", "input")
    assert frequency.is_control and frequency.is_input and not frequency.is_audio
    assert frequency.sample_rate_bounds and frequency.logarithmic
    assert frequency.bounds(48_000)[1] == 24_000
    assert sine.port("Frequency").index == 0
    assert sine.default_controls(48_000) == {
        p.name: p.initial_value(48_000) for p in sine.ports if p.is_control and p.is_input
    }
    with pytest.raises(KeyError):
        sine.port("Nope")


def test_non_utf8_labels_come_as_surrogate_escapes_and_bytes_keys_work(plugin_dirs: dict[str, Path]) -> None:
    plugin = ladspa.load(plugin_dirs["hostile"] / "tp_latin1_label.so")
    label = plugin.descriptors[0].label
    assert label == b"tp_latin1_\xe9".decode("utf-8", "surrogateescape")
    assert plugin[label] is plugin.descriptors[0]
    assert plugin[b"tp_latin1_\xe9"] is plugin.descriptors[0]
    assert plugin[7450] is plugin.descriptors[0]


def test_load_finds_bare_file_names_along_ladspa_path(reference: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LADSPA_PATH", str(reference))
    assert ladspa.load("tp_amp.so").path == str(reference / "tp_amp.so")
    assert ladspa.load("tp_amp").path == str(reference / "tp_amp.so")
    with pytest.raises(FileNotFoundError) as caught:
        ladspa.load("no_such_plugin.so")
    assert isinstance(caught.value, ladspa.PluginFileNotFoundError)
    with pytest.raises(ladspa.OpenError):
        ladspa.load(Path(__file__))


def test_debian_plugins_by_file_and_label(debian: Path) -> None:
    amp = ladspa.load("/usr/lib/ladspa/amp.so")
    assert amp["amp_mono"] is amp[1048]
    assert [p.name for p in amp["amp_mono"].ports] == ["Gain", "Input", "Output"]
    lpf = ladspa.find("filter.so:lpf")
    assert lpf.path == "/usr/lib/ladspa/filter.so" and lpf.plugin.path == lpf.path
