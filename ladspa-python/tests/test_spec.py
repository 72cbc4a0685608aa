"""Chain specs: plain, picklable descriptions of chains, their JSON (the Rust library's, which
``ladspa apply --chain`` reads), rebuilt into chains here and in other processes; live objects
refuse pickling and name the spec."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ladspa

ISSUE_EXAMPLE: list[tuple[str, dict[str, float] | dict[int, float]]] = [
    ("amp.so:amp_mono", {"Gain": 0.5}),
    ("delay.so:delay_5s", {0: 0.1}),
]


def noise(channels: int, frames: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((channels, frames)).astype(np.float32)


def test_the_short_form_names_ports_by_name_and_index_and_carries_bypass() -> None:
    spec = ladspa.ChainSpec([*ISSUE_EXAMPLE, ("filter.so:lpf", {}, True), "amp.so:amp_stereo"])
    assert len(spec) == 4 and spec.version == 1
    assert [stage.plugin for stage in spec] == [
        "amp.so:amp_mono", "delay.so:delay_5s", "filter.so:lpf", "amp.so:amp_stereo",
    ]
    assert spec[0].controls == {"Gain": 0.5}
    assert spec[1].controls == {0: 0.1}  # an int key is an index, shown as written
    assert [stage.bypass for stage in spec.stages] == [False, False, True, False]
    assert spec[-1] == ladspa.StageSpec("amp.so:amp_stereo")
    assert ladspa.ChainSpec([ladspa.StageSpec("filter.so:lpf", bypass=True)])[0] == spec[2]
    # The repr is the short form, which evaluates back to the same spec.
    assert eval(repr(spec), {"ladspa": ladspa, "StageSpec": ladspa.StageSpec}) == spec
    assert repr(spec[2]) == "StageSpec('filter.so:lpf', {}, bypass=True)"


def test_the_json_is_the_librarys_and_reads_back() -> None:
    spec = ladspa.ChainSpec([*ISSUE_EXAMPLE, ("tp_delay", {"0": 1.0}, True)])
    text = spec.to_json()
    assert ladspa.ChainSpec.from_json(text) == spec
    assert ladspa.ChainSpec.from_json(text.encode()) == spec
    assert ladspa.ChainSpec.from_json(spec.to_json(indent=2)) == spec
    data = json.loads(text)
    assert data["version"] == 1
    assert data["stages"][0] == {
        "plugin": "amp.so:amp_mono", "controls": [{"port": "Gain", "value": 0.5}], "bypass": False,
    }
    # Port 0 and a port named "0" stay apart.
    assert data["stages"][1]["controls"] == [{"port": 0, "value": 0.1}]
    assert data["stages"][2]["controls"] == [{"port": "0", "value": 1.0}]
    # Controls and bypass may be left out when written by hand.
    by_hand = ladspa.ChainSpec.from_json('{"version": 1, "stages": [{"plugin": "amp.so:amp_mono"}]}')
    assert by_hand == ladspa.ChainSpec(["amp.so:amp_mono"])


@pytest.mark.parametrize(
    "text, says",
    [
        ('{"version": 2, "stages": []}', "version 2 is not supported"),
        ('{"stages": []}', "not a chain spec"),
        ('{"version": 1, "stages": [{"plugin": "x", "gain": 2}]}', "unknown field"),
        ("[1, 2", "not a chain spec"),
    ],
)
def test_text_that_is_not_a_spec_is_a_value_error_saying_why(text: str, says: str) -> None:
    with pytest.raises(ladspa.ChainSpecError, match=says) as caught:
        ladspa.ChainSpec.from_json(text)
    assert isinstance(caught.value, ValueError)


def test_stages_that_cannot_be_described_are_refused_when_made() -> None:
    with pytest.raises(ladspa.NotFiniteError, match="not a finite number"):
        ladspa.ChainSpec([("amp.so:amp_mono", {"Gain": float("nan")})])
    with pytest.raises(TypeError, match="name \\(str\\) or index \\(int\\)"):
        ladspa.ChainSpec([("amp.so:amp_mono", {1.5: 1.0})])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="not a bool"):
        ladspa.ChainSpec([("amp.so:amp_mono", {True: 1.0})])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="negative"):
        ladspa.ChainSpec([("amp.so:amp_mono", {-1: 1.0})])
    with pytest.raises(TypeError, match="a stage is a plugin name"):
        ladspa.ChainSpec([42])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="from_json"):
        ladspa.ChainSpec('{"version": 1, "stages": []}')  # type: ignore[arg-type]


def test_a_spec_pickles_as_plain_data_and_keeps_its_class() -> None:
    class MySpec(ladspa.ChainSpec):
        pass

    spec = ladspa.ChainSpec([*ISSUE_EXAMPLE, ("filter.so:lpf", {}, True)])
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(spec, protocol))
        assert back == spec and type(back) is ladspa.ChainSpec and hash(back) == hash(spec)
        assert pickle.loads(pickle.dumps(spec[2], protocol)) == spec[2]
    assert copy.deepcopy(spec) == spec
    mine = MySpec(ISSUE_EXAMPLE)
    assert type(MySpec.from_json(mine.to_json())) is MySpec
    assert len(pickle.dumps(spec)) < 1000  # names and numbers, no plugin code


def test_another_process_rebuilds_a_pickled_spec_into_the_same_chain(debian: Path) -> None:
    spec = ladspa.ChainSpec(ISSUE_EXAMPLE)
    audio = noise(2, 20_000)
    here = spec.build(2, 48_000)(audio, 48_000)
    code = (
        "import pickle, sys, numpy as np\n"
        "spec, audio = pickle.load(sys.stdin.buffer)\n"
        "sys.stdout.buffer.write(spec.build(2, 48_000)(audio, 48_000).tobytes())\n"
    )
    there = subprocess.run(
        [sys.executable, "-c", code], input=pickle.dumps((spec, audio)), capture_output=True,
        timeout=120, check=True,
    ).stdout
    assert there == here.tobytes()


def test_a_built_spec_is_the_chain_built_by_hand(debian: Path) -> None:
    spec = ladspa.ChainSpec([*ISSUE_EXAMPLE, ("filter.so:lpf", {"Cutoff Frequency (Hz)": 500}, True)])
    chain = spec.build(2, 48_000, max_block=1024)
    assert isinstance(chain, ladspa.Chain) and chain.max_block == 1024 and len(chain) == 3
    assert chain[0].descriptor.plugin.path == "/usr/lib/ladspa/amp.so"  # navigable both ways
    assert chain[1].controls["Delay (Seconds)"] == pytest.approx(0.1)
    assert chain[2].bypass and not chain[1].bypass
    by_hand = ladspa.Chain(2, 48_000, [("amp.so:amp_mono", {"Gain": 0.5}), ("delay.so:delay_5s", {0: 0.1})])
    by_hand.add("filter.so:lpf", {"Cutoff Frequency (Hz)": 500}).bypass = True
    audio = noise(2, 30_000)
    assert np.array_equal(chain(audio, 48_000), by_hand(audio, 48_000))


def test_a_chain_describes_itself_as_a_spec_that_builds_the_same_chain(debian: Path) -> None:
    chain = ladspa.Chain(1, 44_100, ["filter.so:lpf", ("delay.so:delay_5s", {0: 0.01})])
    chain[0].controls["Cutoff Frequency (Hz)"] = 1234.5
    chain[1].bypass = True
    spec = chain.to_spec()
    assert spec[0] == ladspa.StageSpec("filter.so:lpf", {"Cutoff Frequency (Hz)": 1234.5})
    assert spec[1].plugin == "delay.so:delay_5s" and spec[1].bypass
    assert spec[1].controls == {"Delay (Seconds)": 0.01, "Dry/Wet Balance": 0.5}
    audio = noise(1, 10_000, seed=4)
    assert np.array_equal(pickle.loads(pickle.dumps(spec)).build(1, 44_100)(audio), chain(audio))


def test_load_resolves_once_and_names_the_stage_in_errors(debian: Path) -> None:
    loaded = ladspa.ChainSpec(ISSUE_EXAMPLE).load()
    assert len(loaded) == 2 and loaded.spec == ladspa.ChainSpec(ISSUE_EXAMPLE)
    assert [d.label for d in loaded.descriptors] == ["amp_mono", "delay_5s"]
    assert loaded.controls == ({0: 0.5}, {0: 0.1})  # names resolved to port indices
    assert "amp.so:amp_mono" in repr(loaded)

    with pytest.raises(ladspa.AmbiguousPluginError) as caught:
        ladspa.ChainSpec(["amp.so:amp_mono", "lpf"]).load()
    assert str(caught.value).startswith("stage 2 (`lpf`): ")
    assert caught.value.stage == 1  # Python counts stages from 0
    assert "/usr/lib/ladspa/filter.so:lpf" in (caught.value.candidates or [])
    with pytest.raises(KeyError) as missing:
        ladspa.ChainSpec([("amp.so:amp_mono", {"Gian": 1.0})]).load()
    assert isinstance(missing.value, ladspa.NoSuchPortError) and "Gian" in str(missing.value)
    with pytest.raises(ladspa.PluginNotFoundError, match="stage 1"):
        ladspa.ChainSpec(["no_such_plugin_anywhere"]).load()
    with pytest.raises(ladspa.ChannelMismatchError, match="amp_stereo"):
        ladspa.ChainSpec(["amp.so:amp_stereo"]).build(3, 48_000)


def test_live_objects_refuse_pickling_and_name_the_spec(debian: Path) -> None:
    plugin = ladspa.load("amp.so")
    descriptor = plugin["amp_mono"]
    handle = descriptor.instantiate(48_000)
    chain = ladspa.Chain(1, 48_000, [descriptor])
    live = [
        plugin, descriptor, handle, handle.controls, descriptor.ports[0], chain,
        ladspa.ChainSpec(ISSUE_EXAMPLE).load(), ladspa._ladspa.load("/usr/lib/ladspa/amp.so"),
    ]
    for thing in live:
        with pytest.raises(TypeError, match="ChainSpec") as caught:
            pickle.dumps(thing)
        assert type(thing).__name__ in str(caught.value) or "Plugin" in str(caught.value)
        with pytest.raises(TypeError, match="ChainSpec"):
            copy.copy(thing)


def test_denormal_flushing_is_per_chain(reference: Path) -> None:
    amp = ladspa.load(reference / "tp_amp.so")["tp_amp_mono"]
    chain = ladspa.Chain(2, 48_000, [amp])
    tiny = np.full((2, 4), 1e-39, dtype=np.float32)
    assert not chain.flush_denormals and (chain(tiny) != 0).all()
    chain.flush_denormals = True
    assert chain.flush_denormals == ladspa.FLUSH_DENORMALS_SUPPORTED
    chain.add(amp)  # stages added later flush too
    if ladspa.FLUSH_DENORMALS_SUPPORTED:
        assert (chain(tiny) == 0).all()
    other = ladspa.Chain(2, 48_000, [amp])
    assert (other(tiny) != 0).all()  # per chain: the others are untouched
    chain.flush_denormals = False
    assert (chain(tiny) != 0).all()
