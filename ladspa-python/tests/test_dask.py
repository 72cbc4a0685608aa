"""``ladspa.dask``: files through a chain spec on a ``LocalCluster`` of 2 worker processes,
byte for byte the serial ``ladspa.apply``; one file's failure (a corrupt input, a plugin that
kills its worker) is that file's entry while the others succeed; batches refused before work
starts."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from distributed import Client, LocalCluster

import ladspa
import ladspa.dask
from conftest import write_wav

SPEC = ladspa.ChainSpec([("amp.so:amp_stereo", {"Gain": 0.7}), ("tap_reverb", {})])


def test_without_an_active_client_the_error_says_how_to_start_one(tmp_path: Path) -> None:
    # First in the module: the module's cluster and client are not started yet.
    with pytest.raises(ladspa.NoClientError, match=r"LocalCluster\(") as error:
        ladspa.dask.process_files([tmp_path / "x.wav"], SPEC, tmp_path)
    assert isinstance(error.value, RuntimeError)


@pytest.fixture(scope="module")
def client(debian: Path, plugin_dirs: dict[str, Path]) -> Iterator[Client]:
    """A LocalCluster of 2 worker processes, one thread each, whose search path holds Debian's
    plugins and the crashing fixture (workers inherit the environment when they start)."""
    before = os.environ.get("LADSPA_PATH")
    os.environ["LADSPA_PATH"] = f"{debian}:{plugin_dirs['crashing']}"
    try:
        with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
    finally:
        if before is None:
            del os.environ["LADSPA_PATH"]
        else:
            os.environ["LADSPA_PATH"] = before


def test_a_batch_gives_the_serial_bytes_and_a_corrupt_file_is_its_own_error(
    client: Client, tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for k in range(7):
        write_wav(inputs / f"take{k}.wav", 2, 24_000 + 1_000 * k, seed=k)
    (inputs / "take7.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + bytes(20))
    paths = sorted(inputs.iterdir())
    (tmp_path / "dask").mkdir()
    seen: list[ladspa.dask.FileResult] = []
    results = ladspa.dask.process_files(paths, SPEC, tmp_path / "dask", on_result=seen.append)
    assert [r.input for r in results] == [str(p) for p in paths] and len(seen) == 8
    assert [r.ok for r in results] == [True] * 7 + [False]
    bad = results[7]
    assert bad.error_type == "AudioFormatError" and "take7.wav" in (bad.error or "")
    assert not (tmp_path / "dask" / "take7.wav").exists()
    (tmp_path / "serial").mkdir()
    for k, result in enumerate(results[:7]):
        serial = ladspa.apply(paths[k], tmp_path / "serial" / f"take{k}.wav", SPEC)
        assert result.output == str(tmp_path / "dask" / f"take{k}.wav")
        assert Path(result.output).read_bytes() == (tmp_path / "serial" / f"take{k}.wav").read_bytes()
        assert (result.frames, result.peak, result.duration) == (serial.frames, serial.peak, serial.duration)
    # Each worker loaded the spec once, whatever number of files it ran.
    loaded = client.run(lambda: len(ladspa.dask._loaded))
    assert sorted(loaded.values()) == [1, 1]
    # A bag of paths works as a list does.
    import dask.bag

    (tmp_path / "bag").mkdir()
    bag = dask.bag.from_sequence([str(p) for p in paths[:3]], npartitions=2)
    from_bag = ladspa.dask.process_files(bag, SPEC, tmp_path / "bag")
    assert [Path(r.output).read_bytes() for r in from_bag] == [
        Path(r.output).read_bytes() for r in results[:3]
    ]


def test_a_plugin_that_kills_its_worker_fails_that_file_only(client: Client, tmp_path: Path) -> None:
    # The fixture aborts the process when instantiated above 96 kHz: the 192 kHz file kills
    # each worker it is tried on (Dask tries it again elsewhere), the others run.
    for k, rate in enumerate([48_000, 192_000, 44_100]):
        write_wav(tmp_path / f"f{k}.wav", 1, 4_000, seed=k, rate=rate)
    spec = ladspa.ChainSpec([("tp_v_instantiate_rates", {0: 0.5})])
    (tmp_path / "out").mkdir()
    paths = [tmp_path / f"f{k}.wav" for k in range(3)]
    results = ladspa.dask.process_files(paths, spec, tmp_path / "out", client=client)
    assert [r.ok for r in results] == [True, False, True], results
    assert results[1].error_type == "KilledWorker"
    assert "worker process died" in (results[1].error or "")
    assert results[0].frames == 4_000 and results[2].frames == 4_000
    client.wait_for_workers(2, timeout=60)


def test_batches_are_refused_before_any_work_starts(client: Client, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "out").mkdir()
    write_wav(tmp_path / "a" / "take.wav", 2, 1_000, seed=1)
    shutil.copy(tmp_path / "a" / "take.wav", tmp_path / "b" / "take.flac")
    with pytest.raises(ladspa.OutputClashError, match="take.wav"):
        ladspa.dask.process_files(
            [tmp_path / "a" / "take.wav", tmp_path / "b" / "take.flac"], SPEC, tmp_path / "out",
        )
    with pytest.raises(ladspa.OutputClashError, match="is an input"):
        ladspa.dask.process_files([tmp_path / "a" / "take.wav"], SPEC, tmp_path / "a")
    with pytest.raises(FileNotFoundError):
        ladspa.dask.process_files([tmp_path / "a" / "take.wav"], SPEC, tmp_path / "missing")
    with pytest.raises(TypeError, match="ChainSpec"):
        ladspa.dask.process_files([tmp_path / "a" / "take.wav"], SPEC.load(), tmp_path / "out")  # type: ignore[arg-type]
    assert os.listdir(tmp_path / "out") == []


def test_the_example_runs_over_a_folder_as_the_readme_shows(debian: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from conftest import REPO

    (tmp_path / "in").mkdir()
    for k in range(3):
        write_wav(tmp_path / "in" / f"t{k}.wav", 2, 8_000, seed=k)
    (tmp_path / "in" / "bad.wav").write_bytes(b"not audio")
    done = subprocess.run(
        [sys.executable, str(REPO / "ladspa-python" / "examples" / "batch_dask.py"),
         str(tmp_path / "in"), str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300, env={**os.environ, "LADSPA_PATH": str(debian)},
    )
    assert done.returncode == 1, done.stderr  # one file failed
    assert "bad.wav: FAILED (AudioFormatError)" in done.stdout
    assert "3 of 4 files" in done.stdout
    assert sorted(os.listdir(tmp_path / "out")) == ["t0.wav", "t1.wav", "t2.wav"]
