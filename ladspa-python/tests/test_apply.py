"""``ladspa.apply``: audio files through chain specs by the library's file job, byte for byte
what ``ladspa apply --chain`` writes for the same spec and options; failures leave no partial
output and never touch the input; progress, Ctrl-C-like interruptions and warnings."""

from __future__ import annotations

import os
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

import ladspa
from conftest import REPO, write_wav


@pytest.fixture(scope="session")
def ladspa_cli() -> Path:
    """The ``ladspa`` command of this workspace (cargo builds it as the Rust tests do)."""
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    subprocess.run(
        ["cargo", "build", "--quiet", "-p", "ladspa-tools", "--bin", "ladspa",
         "--manifest-path", str(REPO / "Cargo.toml"), "--target-dir", str(target)],
        check=True,
    )
    return target / "debug" / "ladspa"


def cli_apply(cli: Path, spec: ladspa.ChainSpec, input: Path, output: Path, *options: str) -> None:
    spec_file = output.with_suffix(".json")
    spec_file.write_text(spec.to_json())
    done = subprocess.run(
        [str(cli), "--quiet", "apply", str(input), str(output), "--chain", str(spec_file), *options],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr


HEAVY = ladspa.ChainSpec([
    ("amp.so:amp_stereo", {"Gain": 0.8}),
    ("tap_reverb", {"Decay [ms]": 1500.0}),
    ("delay.so:delay_5s", {0: 0.01, 1: 0.5}),
    ("filter.so:lpf", {0: 3000.0}, True),
])
"""A stereo chain of Debian plugins: a stereo plugin, a heavy one, a mono one run per
channel (with its controls by index), a bypassed one."""


@pytest.mark.parametrize(
    ("options", "cli_options"),
    [
        ({}, []),
        ({"format": "float", "block": 1000}, ["--format", "float", "--block", "1000"]),
        ({"format": 24, "keep_latency": True}, ["--format", "24", "--keep-latency"]),
    ],
    ids=["defaults", "float-blocks", "24-bit-latency-kept"],
)
def test_apply_writes_the_bytes_ladspa_apply_writes(
    debian: Path, ladspa_cli: Path, tmp_path: Path, options: dict, cli_options: list[str],
) -> None:
    write_wav(tmp_path / "in.wav", 2, 30_000)
    report = ladspa.apply(tmp_path / "in.wav", tmp_path / "py.wav", HEAVY, **options)
    cli_apply(ladspa_cli, HEAVY, tmp_path / "in.wav", tmp_path / "cli.wav", *cli_options)
    assert (tmp_path / "py.wav").read_bytes() == (tmp_path / "cli.wav").read_bytes()
    assert report.frames == 30_000 and report.channels == 2 and report.sample_rate == 48_000
    assert report.format == str(options.get("format", "16"))
    assert report.output == str(tmp_path / "py.wav") and 0 < report.peak
    assert report.duration == pytest.approx(30_000 / 48_000)


def test_a_loaded_spec_gives_the_bytes_of_its_spec_and_latency_is_removed(
    reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LADSPA_PATH", str(reference))
    write_wav(tmp_path / "in.wav", 1, 10_000)
    spec = ladspa.ChainSpec([("tp_latency", {0: 100}), ("tp_amp_mono", {"Gain": 0.5})])
    loaded = spec.load()
    first = ladspa.apply(tmp_path / "in.wav", tmp_path / "a.wav", loaded, format="float")
    second = ladspa.apply(tmp_path / "in.wav", tmp_path / "b.wav", spec, format="float")
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()
    assert first == ladspa.Report(**{**second.__dict__, "output": first.output})
    assert first.latency == 100 and first.frames == 10_000
    # The latency is removed: the output lines up with the input, at half the gain.
    with wave.open(str(tmp_path / "in.wav")) as sent:
        input = np.frombuffer(sent.readframes(10_000), "<i2") / 32768
    output = np.frombuffer((tmp_path / "a.wav").read_bytes()[-40_000:], "<f4")
    np.testing.assert_allclose(output, input * 0.5, atol=1e-6)
    # The short form works too.
    ladspa.apply(tmp_path / "in.wav", tmp_path / "c.wav", [("tp_latency", {0: 100}), ("tp_amp_mono", {0: 0.5})],
                 format="float")
    assert (tmp_path / "c.wav").read_bytes() == (tmp_path / "a.wav").read_bytes()


def test_failures_leave_the_old_output_and_no_temporary_file(
    debian: Path, tmp_path: Path,
) -> None:
    write_wav(tmp_path / "in.wav", 1, 2_000)
    (tmp_path / "out.wav").write_bytes(b"the old output")
    (tmp_path / "corrupt.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunk" + bytes(40))
    spec = ladspa.ChainSpec([("amp.so:amp_mono", {"Gain": 0.5})])
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(ladspa.AudioFileError) as error:
        ladspa.apply(tmp_path / "corrupt.wav", tmp_path / "out.wav", spec)
    assert error.value.path == str(tmp_path / "corrupt.wav") and "corrupt.wav" in str(error.value)
    assert isinstance(error.value, OSError)
    with pytest.raises(ladspa.AudioReadError):
        ladspa.apply(tmp_path / "missing.wav", tmp_path / "out.wav", spec)
    with pytest.raises(ladspa.OutputIsInputError):
        ladspa.apply(tmp_path / "in.wav", tmp_path / "." / "in.wav", spec)
    with pytest.raises(ladspa.NotWavNameError):
        ladspa.apply(tmp_path / "in.wav", tmp_path / "out.mp3", spec)
    # Out of range: refused with strict before any output is made, else a warning.
    far = ladspa.ChainSpec([("delay.so:delay_5s", {0: 10.0})])
    with pytest.raises(ladspa.ControlRangeError) as refused:
        ladspa.apply(tmp_path / "in.wav", tmp_path / "out.wav", far, strict=True)
    assert refused.value.stage == 0 and "0 to 5" in str(refused.value)
    # A plugin that does not fit the file: the chain's own error.
    with pytest.raises(ladspa.ChannelMismatchError):
        ladspa.apply(tmp_path / "in.wav", tmp_path / "out.wav", ["amp.so:amp_stereo"])
    with pytest.raises(ValueError, match="format"):
        ladspa.apply(tmp_path / "in.wav", tmp_path / "out.wav", spec, format=12)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ChainSpec"):
        ladspa.apply(tmp_path / "in.wav", tmp_path / "out.wav", 42)  # type: ignore[arg-type]
    assert (tmp_path / "out.wav").read_bytes() == b"the old output"
    assert sorted(os.listdir(tmp_path)) == before
    with pytest.warns(ladspa.LadspaWarning, match="outside its range"):
        report = ladspa.apply(tmp_path / "in.wav", tmp_path / "out.wav", far)
    assert any("0 to 5" in message for message in report.warnings)


def test_progress_is_reported_and_an_exception_in_it_stops_the_job(
    debian: Path, tmp_path: Path,
) -> None:
    write_wav(tmp_path / "in.wav", 2, 50_000)
    spec = ladspa.ChainSpec([("amp.so:amp_stereo", {"Gain": 0.5})])
    seen: list[tuple[int, int | None]] = []
    ladspa.apply(tmp_path / "in.wav", tmp_path / "out.wav", spec, block=4096,
                 progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 50_000) and seen[-1] == (50_000, 50_000)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen) and len(seen) > 10
    good = (tmp_path / "out.wav").read_bytes()

    class Stop(Exception):
        pass

    def stop(done: int, total: int | None) -> None:
        if done > 20_000:
            raise Stop

    with pytest.raises(Stop):
        ladspa.apply(tmp_path / "in.wav", tmp_path / "out.wav", spec, format="float", progress=stop)
    assert (tmp_path / "out.wav").read_bytes() == good
    assert sorted(os.listdir(tmp_path)) == ["in.wav", "out.wav"]


def test_jobs_in_threads_run_at_once_and_give_the_serial_bytes(debian: Path, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    loaded = HEAVY.load()
    for k in range(4):
        write_wav(tmp_path / f"in{k}.wav", 2, 20_000, seed=k)
    for k in range(4):
        ladspa.apply(tmp_path / f"in{k}.wav", tmp_path / f"serial{k}.wav", loaded)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda k: ladspa.apply(tmp_path / f"in{k}.wav", tmp_path / f"thread{k}.wav", loaded),
                      range(4)))
    for k in range(4):
        assert (tmp_path / f"thread{k}.wav").read_bytes() == (tmp_path / f"serial{k}.wav").read_bytes()
