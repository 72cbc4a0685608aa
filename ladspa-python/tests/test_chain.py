"""Chains from Python, in pedalboard's style."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ladspa


def noise(channels: int, frames: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((channels, frames)).astype(np.float32)


def test_a_chain_replicates_mono_plugins_and_runs_stereo_ones_once(debian: Path) -> None:
    chain = ladspa.Chain(2, 48_000, ["filter.so:lpf", ("amp.so:amp_stereo", {"Gain": 0.5})])
    assert len(chain) == 2 and chain.channels == 2 and chain.output_channels == 2
    assert chain[0].descriptor.label == "lpf" and chain[-1].controls["Gain"] == 0.5
    audio = noise(2, 10_000)
    out = chain(audio, 48_000)
    # The same, plugin by plugin.
    lpf = ladspa.find("filter.so:lpf")
    amp = ladspa.find("amp.so:amp_stereo")
    rows = []
    for row in audio:
        with lpf.instantiate(48_000) as handle:
            rows.append(handle.run(row))
    with amp.instantiate(48_000) as handle:
        handle.controls["Gain"] = 0.5
        expected = handle.run(np.stack(rows))
    assert out.dtype == np.float32 and out.shape == (2, 10_000)
    assert np.array_equal(out, expected)


def test_process_resets_unless_told_to_stream(reference: Path) -> None:
    delay = ladspa.load(reference / "tp_delay.so").descriptors[0]
    chain = ladspa.Chain(1, 48_000, [delay], max_block=64)
    audio = noise(1, 1000)
    first = chain.process(audio)
    assert np.array_equal(chain.process(audio), first)  # the state was cleared
    whole = chain.process(np.concatenate([audio, audio], axis=1))
    streamed = np.concatenate([chain.process(audio), chain.process(audio, reset=False)], axis=1)
    assert np.array_equal(streamed, whole)


def test_offline_processing_removes_the_latency(reference: Path) -> None:
    plugin = ladspa.load(reference / "tp_latency.so")
    chain = ladspa.Chain(1, 48_000)
    stage = chain.add(plugin["tp_latency"], {"Delay (Samples)": 100})
    audio = np.arange(1000, dtype=np.float32)
    assert np.array_equal(chain.process_offline(audio), audio)
    assert chain.latency == 100 and stage.latency == 100
    live = chain.process(audio)
    assert np.array_equal(live[100:], audio[:-100])


def test_stages_take_controls_by_name_index_and_keyword_and_bypass(reference: Path) -> None:
    amp = ladspa.load(reference / "tp_amp.so")
    chain = ladspa.Chain(2, 48_000)
    mono = chain.add(amp["tp_amp_mono"], Gain=2.0)
    stereo = chain.add(amp["tp_amp_stereo"], {0: 3.0})
    assert (mono.index, stereo.index) == (0, 1)
    audio = np.ones((2, 16), dtype=np.float32)
    assert (chain(audio) == 6).all()
    chain[0].controls["Gain"] = 0.5
    chain.set_control(1, "Gain", 1.0)
    assert (chain(audio) == 0.5).all()
    chain[1].bypass = True
    chain[0].controls[0] = 4.0
    assert chain[1].bypass and (chain(audio) == 4).all()
    assert dict(chain[0].controls) == {"Gain": 4.0}
    with pytest.raises(IndexError) as caught:
        chain[2]
    assert isinstance(caught.value, ladspa.NoSuchStageError)
    with pytest.raises(IndexError):
        chain.set_control(5, "Gain", 1.0)
    with pytest.raises(KeyError) as port:
        chain.add(amp["tp_amp_mono"], Gian=1.0)
    assert isinstance(port.value, ladspa.NoSuchPortError)
    assert len(chain) == 2  # nothing added when a control is wrong
    with pytest.raises(ValueError):
        chain.add(amp["tp_amp_mono"], Gain=float("nan"))


def test_controls_come_as_users_hold_them(reference: Path) -> None:
    # Dicts of names, of indices, or of both, held in variables or written inline: what users
    # write runs, and (mypy runs over these tests in .ci/run) type-checks against the stubs.
    amp = ladspa.load(reference / "tp_amp.so")
    by_name: dict[str, float] = {"Gain": 2.0}
    by_index: dict[int, float] = {0: 3.0}
    stages: list[ladspa.ChainStage] = [(amp["tp_amp_mono"], by_name), (amp["tp_amp_mono"], by_index)]
    chain = ladspa.Chain(1, 48_000, stages)
    chain.add(amp["tp_amp_mono"], by_name)
    chain.add(amp["tp_amp_mono"], {"Gain": 0.5, 0: 0.25})  # the index, after the name, wins
    assert (chain(np.ones((1, 8), dtype=np.float32)) == 2 * 3 * 2 * 0.25).all()
    with amp["tp_amp_mono"].instantiate(48_000) as handle:
        handle.controls.update(by_name)
        assert handle.controls["Gain"] == 2.0
        handle.controls.update(by_index)
        assert handle.controls["Gain"] == 3.0
        handle.controls.update({"Gain": 5.0, 0: 6.0})
        assert handle.controls["Gain"] == 6.0


def test_channel_mapping_and_its_errors(reference: Path) -> None:
    latency = ladspa.load(reference / "tp_latency.so")
    chain = ladspa.Chain(1, 48_000, [latency["tp_split"]])
    assert chain.output_channels == 2
    out = chain(np.ones(8, dtype=np.float32))
    assert out.shape == (2, 8) and (out[1] == -1).all()
    with pytest.raises(ValueError) as mismatch:
        chain.add(latency["tp_split"])
    assert isinstance(mismatch.value, ladspa.ChannelMismatchError) and mismatch.value.stage == 1
    with pytest.raises(ValueError, match=r"shaped \(1, 8\) or \(8,\), not \(2, 8\)"):
        chain(np.ones((2, 8), dtype=np.float32))
    with pytest.raises(ValueError, match="44100 Hz"):
        chain(np.ones(8, dtype=np.float32), 44_100)
    with pytest.raises(ValueError):
        ladspa.Chain(0, 48_000)
    with pytest.raises(ladspa.BypassChangesChannelsError):
        chain[0].bypass = True


def test_out_and_in_place_chains(reference: Path) -> None:
    amp = ladspa.load(reference / "tp_amp.so")
    chain = ladspa.Chain(2, 48_000, [(amp["tp_amp_stereo"], {"Gain": 2.0})])
    audio = np.ones((2, 100), dtype=np.float32)
    assert chain(audio, out=audio) is audio and (audio == 2).all()
    out = np.empty_like(audio)
    assert chain.process(audio, out=out) is out and (out == 4).all()


def test_chains_name_plugins_through_the_resolver(debian: Path, reference: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(LookupError) as caught:
        ladspa.Chain(1, 48_000, ["lpf"])
    error = caught.value
    assert isinstance(error, ladspa.AmbiguousPluginError)
    assert error.candidates is not None
    assert sorted(error.candidates) == ["/usr/lib/ladspa/cmt.so:lpf", "/usr/lib/ladspa/filter.so:lpf"]
    assert "filter.so:lpf" in str(error)
    monkeypatch.setenv("LADSPA_PATH", str(reference))
    chain = ladspa.Chain(1, 48_000, ["tp_amp.so:tp_amp_mono", "7003"])
    assert [s.descriptor.label for s in chain] == ["tp_amp_mono", "tp_delay"]
    builtin = ladspa._ladspa.Chain(1, 48_000, ["tp_amp.so:7001"])
    assert builtin.descriptor(0).label == "tp_amp_mono"
    with pytest.raises(KeyError):
        ladspa.Chain(1, 48_000, ["no_such_label"])
    with pytest.raises(ladspa.AmbiguousPluginError):
        ladspa.Chain(1, 48_000, ["tp_amp.so"])  # a file of two plugin types
