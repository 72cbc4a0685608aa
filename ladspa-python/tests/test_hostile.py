"""Every hostile and broken fixture the Rust host survives in-process is survived from Python:
an exception, never a crash."""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path

import numpy as np
import pytest

import ladspa

from conftest import run_python


def counters(path: Path) -> list[int]:
    """The test plugin file's call counters (``ladspa_testplugins_counters``)."""
    library = ctypes.CDLL(str(path))
    function = library.ladspa_testplugins_counters
    function.restype = ctypes.POINTER(ctypes.c_uint64 * 11)
    return list(function().contents)


def test_broken_files_raise_their_errors(plugin_dirs: dict[str, Path]) -> None:
    broken = plugin_dirs["broken"]
    with pytest.raises(ladspa.NotLadspaError):
        ladspa.load(broken / "tp_no_symbol.so")
    with pytest.raises(ladspa.NoDescriptorsError):
        ladspa.load(broken / "tp_no_descriptors.so")
    with pytest.raises(ladspa.EndlessDescriptorsError):
        ladspa.load(broken / "tp_endless.so")
    with pytest.raises(OSError):
        ladspa.load(broken)  # a directory
    with pytest.raises(ladspa.EmptyPathError):
        ladspa._ladspa.load("")
    bad = ladspa.load(broken / "tp_bad_descriptors.so")
    assert bad.labels == ["tp_good_neighbour", "tp_latin1", "tp_good_tail"]
    assert len(bad.rejected) == 19 and all(isinstance(e, ladspa.DescriptorError) for e in bad.rejected)
    with pytest.raises(ladspa.DescriptorError, match="Name is NULL") as caught:
        bad["bad_null_name"]
    assert caught.value.label == "bad_null_name"
    fails = ladspa.load(broken / "tp_instantiate_fails.so").descriptors[0]
    with pytest.raises(ladspa.InstantiateFailedError):
        fails.instantiate(48_000)
    with pytest.raises(ValueError):
        fails.instantiate(0)


def test_nan_hints_give_finite_controls(plugin_dirs: dict[str, Path]) -> None:
    path = plugin_dirs["hostile"] / "tp_nan_hints.so"
    descriptor = ladspa.load(path).descriptors[0]
    with descriptor.instantiate(48_000) as handle:
        assert all(np.isfinite(v) for v in handle.controls.values())
        handle.run(np.ones((descriptor.audio_input_count, 64), dtype=np.float32))
    assert counters(path)[9] == 0  # non-finite control values seen by the plugin


def test_runs_of_zero_frames_and_buffers_touched_outside_runs(plugin_dirs: dict[str, Path]) -> None:
    hostile = plugin_dirs["hostile"]
    zero = ladspa.load(hostile / "tp_zero_run.so").descriptors[0]
    with zero.instantiate(48_000) as handle:
        out = handle.run(np.zeros((zero.audio_input_count, 0), dtype=np.float32))
        assert out.shape == (zero.audio_output_count, 0)
    outside = ladspa.load(hostile / "tp_outside_run.so").descriptors[0]
    audio = np.ones((outside.audio_input_count, 64), dtype=np.float32)
    out = np.zeros((outside.audio_output_count, 64), dtype=np.float32)
    handle = outside.instantiate(48_000)
    with handle:
        handle.run(audio, out=out)
    handle.close()
    assert not (out == 12345.0).any()  # OUTSIDE_RUN_MARKER never reaches the caller's buffer


def test_a_plugin_that_changes_the_fp_environment_does_not_change_pythons(plugin_dirs: dict[str, Path]) -> None:
    result = run_python(
        f"""
import numpy as np, ladspa
d = ladspa.load({str(plugin_dirs["hostile"] / "tp_fpenv.so")!r}).descriptors[0]
with d.instantiate(48_000) as h:
    h.run(np.ones((d.audio_input_count, 64), dtype=np.float32))
with np.errstate(all="ignore"):
    big = np.float32(3e38) * np.float32(10)
    third = np.float32(1) / np.float32(3)
print(big, third == np.float32(1) / np.float32(3), 1e308 * 10)
"""
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["inf", "True", "inf"]


def test_one_refilled_static_descriptor_is_refused_not_misread(plugin_dirs: dict[str, Path]) -> None:
    plugin = ladspa.load(plugin_dirs["hostile"] / "tp_static_descriptor.so")
    # One struct handed out for every index cannot be three plugin types: each is refused.
    assert len(plugin) == 0
    assert [e.label for e in plugin.rejected] == ["tp_static_a", "tp_static_b", "tp_static_c"]
    with pytest.raises(ladspa.DescriptorError):
        plugin["tp_static_b"]


def test_lifecycle_calls_never_overlap_across_threads(plugin_dirs: dict[str, Path]) -> None:
    path = plugin_dirs["hostile"] / "tp_overlap.so"
    descriptor = ladspa.load(path).descriptors[0]

    def work() -> None:
        for _ in range(50):
            with descriptor.instantiate(48_000) as handle:
                handle.reset()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counters(path)[10] == 0  # overlapping lifecycle calls


def test_keep_loaded_survives_a_plugin_thread_that_outlives_the_file(plugin_dirs: dict[str, Path]) -> None:
    code = f"""
import gc, time, ladspa
plugin = ladspa.load({str(plugin_dirs["hostile"] / "tp_thread.so")!r}, keep_loaded=KEEP)
handle = plugin.descriptors[0].instantiate(48_000)
del plugin, handle
gc.collect()
time.sleep(0.3)
print("alive")
"""
    kept = run_python(code.replace("KEEP", "True"))
    assert kept.returncode == 0 and kept.stdout.strip() == "alive", kept.stderr
    # Without it the file is unmapped under its thread: the process dies, as in C.
    unmapped = run_python(code.replace("KEEP", "False"))
    assert unmapped.returncode != 0


def test_shared_port_names_resolve_to_the_control(plugin_dirs: dict[str, Path]) -> None:
    descriptor = ladspa.load(plugin_dirs["hostile"] / "tp_shared_names.so").descriptors[0]
    with descriptor.instantiate(48_000) as handle:
        handle.controls["Frequency"] = 2.0
        out = handle.run(np.ones(8, dtype=np.float32))
        assert (out == 2).all()
        assert handle.controls[5] == 2.0  # the "Gain" output


def test_a_handle_never_activated_is_dropped_without_a_crash(plugin_dirs: dict[str, Path]) -> None:
    # The fixture crashes in a cleanup that no activate came before, as swh's IIR filters do:
    # making a handle only to look at it, then letting it go, must not end the interpreter.
    path = plugin_dirs["unactivated"] / "tp_v_cleanup_unactivated.so"
    code = f"""
import gc, ladspa
descriptor = ladspa.load({str(path)!r})["tp_v_cleanup_unactivated"]
handle = descriptor.instantiate(48_000)
print(handle.controls)
del handle
gc.collect()
descriptor.instantiate(44_100).close()
print("survived")
"""
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("survived")
