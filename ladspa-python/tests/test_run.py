"""Running audio with numpy: shapes, conversions, out, in place, controls, lifecycle, threads."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

import ladspa


@pytest.fixture
def amp(reference: Path) -> ladspa.Plugin:
    return ladspa.load(reference / "tp_amp.so")


def test_runs_return_new_arrays_of_the_outputs(amp: ladspa.Plugin) -> None:
    with amp["tp_amp_stereo"].instantiate(48_000) as handle:
        handle.controls["Gain"] = 2.0
        audio = np.arange(8, dtype=np.float32).reshape(2, 4)
        out = handle.run(audio)
        assert out.dtype == np.float32 and out.shape == (2, 4)
        assert (out == audio * 2).all()
        assert not np.shares_memory(out, audio)


def test_one_channel_may_be_one_dimensional(amp: ladspa.Plugin) -> None:
    with amp["tp_amp_mono"].instantiate(48_000) as handle:
        out = handle.run(np.ones(16, dtype=np.float32))
        assert out.shape == (16,)
        assert handle.run(np.ones((1, 16), dtype=np.float32)).shape == (1, 16)


def test_other_dtypes_and_layouts_are_converted(amp: ladspa.Plugin) -> None:
    with amp["tp_amp_stereo"].instantiate(48_000) as handle:
        handle.controls["Gain"] = 0.5
        wide = np.arange(20, dtype=np.float64).reshape(2, 10)
        assert (handle.run(wide) == (wide * 0.5).astype(np.float32)).all()
        fortran = np.asfortranarray(wide.astype(np.float32))
        assert (handle.run(fortran) == wide * 0.5).all()
        strided = np.arange(40, dtype=np.float32).reshape(2, 20)[:, ::2]
        assert (handle.run(strided) == strided * 0.5).all()
        assert (handle.run([[1, 2], [3, 4]]) == [[0.5, 1], [1.5, 2]]).all()


def test_wrong_shapes_are_value_errors_naming_the_shape_expected(amp: ladspa.Plugin) -> None:
    with amp["tp_amp_stereo"].instantiate(48_000) as handle:
        with pytest.raises(ValueError, match=r"shaped \(2, 8\), not \(3, 8\)") as caught:
            handle.run(np.zeros((3, 8), dtype=np.float32))
        assert isinstance(caught.value, ladspa.BufferCountError)
        with pytest.raises(ValueError, match="dimensions"):
            handle.run(np.zeros((2, 2, 2), dtype=np.float32))
        with pytest.raises(ValueError, match=r"out must be shaped \(2, 8\)"):
            handle.run(np.zeros((2, 8), dtype=np.float32), out=np.zeros((2, 7), dtype=np.float32))
        with pytest.raises(TypeError, match="float32"):
            handle.run(np.zeros((2, 8), dtype=np.float32), out=np.zeros((2, 8)))  # type: ignore[arg-type]


def test_out_is_written_without_a_copy_and_returned(amp: ladspa.Plugin) -> None:
    with amp["tp_amp_stereo"].instantiate(48_000) as handle:
        handle.controls["Gain"] = 3.0
        audio = np.ones((2, 32), dtype=np.float32)
        out = np.zeros((2, 64), dtype=np.float32)[:, 16:48]  # rows contiguous, not the array
        assert handle.run(audio, out=out) is out
        assert (out == 3).all()
        with pytest.raises(ValueError, match="out cannot be written"):
            frozen = np.zeros((2, 32), dtype=np.float32)
            frozen.flags.writeable = False
            handle.run(audio, out=frozen)
        with pytest.raises(ValueError, match="contiguous"):
            handle.run(audio, out=np.zeros((2, 64), dtype=np.float32)[:, ::2])


def test_out_that_is_the_input_runs_in_place(amp: ladspa.Plugin, reference: Path) -> None:
    with amp["tp_amp_stereo"].instantiate(48_000) as handle:
        handle.controls["Gain"] = 2.0
        audio = np.ones((2, 8), dtype=np.float32)
        assert handle.run(audio, out=audio) is audio
        assert (audio == 2).all()
        # Shared otherwise (the channels swapped): the input is read before anything is written.
        audio = np.stack([np.full(8, 1.0), np.full(8, 5.0)]).astype(np.float32)
        handle.run(audio, out=audio[::-1])
        assert audio.tolist() == [[10.0] * 8, [2.0] * 8]
    broken = ladspa.load(reference / "tp_inplace_broken.so").descriptors[0]
    with broken.instantiate(48_000) as handle:
        audio = np.ones((1, 8), dtype=np.float32)
        with pytest.raises(ladspa.InPlaceBrokenError):
            handle.run(audio, out=audio)
        handle.run(audio, out=np.empty_like(audio))


def test_generators_take_frames(reference: Path) -> None:
    sine = ladspa.load(reference / "tp_sine.so")["tp_sine"]
    with sine.instantiate(48_000) as handle:
        tone = handle.run(frames=480)
        assert tone.shape == (1, 480) and np.abs(tone).max() > 0.5
        out = np.zeros((1, 64), dtype=np.float32)
        assert handle.run(out=out) is out and np.abs(out).max() > 0
        with pytest.raises(ValueError, match="frames"):
            handle.run()


def test_inactive_and_closed_handles_refuse_to_run(amp: ladspa.Plugin) -> None:
    handle = amp["tp_amp_mono"].instantiate(48_000)
    audio = np.zeros(8, dtype=np.float32)
    with pytest.raises(ladspa.InactiveHandleError):
        handle.run(audio)
    with handle:
        assert handle.active
        handle.run(audio)
    assert not handle.active
    handle.activate()
    handle.reset()
    handle.deactivate()
    handle.close()
    assert handle.closed
    handle.close()
    with pytest.raises(ladspa.ClosedHandleError):
        handle.activate()
    with pytest.raises(ValueError):
        handle.controls["Gain"] = 1.0
    assert repr(handle).endswith("closed>")


def test_controls_are_a_mapping_by_name_or_index(plugin_dirs: dict[str, Path], reference: Path) -> None:
    shared = ladspa.load(plugin_dirs["hostile"] / "tp_shared_names.so").descriptors[0]
    handle = shared.instantiate(48_000)
    controls = handle.controls
    # Audio and control ports share "Frequency": the control wins; "Mix" twice: by index.
    assert list(controls) == ["Frequency", 3, 4, 5, 6, "Meter"]
    controls["Frequency"] = 0.25
    assert controls["Frequency"] == 0.25 and controls[2] == 0.25
    with pytest.raises(KeyError) as caught:
        controls["Mix"] = 1.0
    assert isinstance(caught.value, ladspa.AmbiguousPortError)
    controls[4] = 1.5
    assert controls[4] == 1.5
    with pytest.raises(TypeError):
        controls["Meter"] = 1.0  # a control output
    with pytest.raises(KeyError):
        controls[0] = 1.0  # an audio port
    with pytest.raises(KeyError):
        controls[-1]
    assert "Meter" in controls and "Output" not in controls and len(controls) == 6
    with handle:
        handle.run(np.full(4, 3.0, dtype=np.float32))
    assert controls["Meter"] == pytest.approx(0.75)  # a control output: the last sample
    assert controls.get("nope", 7) == 7
    controls.update({"Frequency": 2.0}, **{})
    with pytest.raises(ValueError):
        controls.update({"Frequency": 3.0, 3: float("inf")})
    assert controls["Frequency"] == 2.0  # nothing set when one value is refused
    assert dict(controls.items())["Frequency"] == 2.0
    amp = ladspa.load(reference / "tp_amp.so")["tp_amp_mono"].instantiate(48_000)
    for value in (float("nan"), float("inf"), 1e300):
        with pytest.raises(ladspa.NotFiniteError):
            amp.controls["Gain"] = value
    amp.controls["Gain"] = 123.5  # outside a hint is allowed
    assert amp.controls["Gain"] == 123.5


def test_denormal_flushing_is_per_handle(amp: ladspa.Plugin) -> None:
    with amp["tp_amp_mono"].instantiate(48_000) as handle:
        tiny = np.full(4, 1e-39, dtype=np.float32)
        assert handle.run(tiny)[0] != 0
        handle.flush_denormals = True
        assert handle.flush_denormals == ladspa.FLUSH_DENORMALS_SUPPORTED
        if ladspa.FLUSH_DENORMALS_SUPPORTED:
            assert (handle.run(tiny) == 0).all()
        handle.flush_denormals = False
        assert handle.run(tiny)[0] != 0


def test_two_threads_run_two_handles(amp: ladspa.Plugin) -> None:
    descriptor = amp["tp_amp_stereo"]
    audio = np.random.default_rng(1).standard_normal((2, 4096)).astype(np.float32)
    results: dict[int, list[bool]] = {0: [], 1: []}

    def work(k: int) -> None:
        with descriptor.instantiate(48_000) as handle:
            handle.controls["Gain"] = k + 1.0
            for _ in range(200):
                results[k].append(bool((handle.run(audio) == audio * (k + 1)).all()))

    threads = [threading.Thread(target=work, args=(k,)) for k in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results[0] == [True] * 200 and results[1] == [True] * 200


def test_one_handle_shared_by_threads_serialises_its_runs(amp: ladspa.Plugin) -> None:
    handle = amp["tp_amp_mono"].instantiate(48_000)
    handle.activate()
    audio = np.ones(1 << 16, dtype=np.float32)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                handle.run(audio)
                handle.controls["Gain"] = 1.0
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_debian_amp_through_numpy(debian: Path) -> None:
    amp = ladspa.load("amp.so")["amp_stereo"]
    with amp.instantiate(44_100) as handle:
        handle.controls["Gain"] = 0.5
        audio = np.random.default_rng(0).standard_normal((2, 1000)).astype(np.float32)
        assert np.allclose(handle.run(audio), audio * 0.5)
