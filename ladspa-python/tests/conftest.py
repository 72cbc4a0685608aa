"""Fixtures of the Python package's tests: the workspace's test plugins (built by cargo as the
Rust tests build them), Debian's plugins, and a private catalog cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np

import pytest

REPO = Path(__file__).resolve().parents[2]
DEBIAN = Path("/usr/lib/ladspa")

# The test plugins by kind, as ladspa-testplugins/src/lib.rs lists them.
KINDS = {
    "reference": [
        "tp_amp", "tp_delay", "tp_sine", "tp_noise", "tp_adding", "tp_inplace_broken",
        "tp_hints", "tp_recorder", "tp_latency", "tp_fanout",
    ],
    "broken": [
        "tp_bad_descriptors", "tp_no_symbol", "tp_no_descriptors", "tp_endless",
        "tp_instantiate_fails",
    ],
    "hostile": [
        "tp_nan_hints", "tp_zero_run", "tp_outside_run", "tp_fpenv", "tp_static_descriptor",
        "tp_overlap", "tp_thread", "tp_shared_names", "tp_latin1_label",
    ],
    "lethal": [
        "tp_ctor_abort", "tp_ctor_segv", "tp_ctor_exit", "tp_descriptor_segv",
        "tp_descriptor_sleep",
    ],
    # A validator fixture: a mono amplifier whose instantiate aborts the process above 96 kHz.
    "crashing": ["tp_v_instantiate_rates"],
    # A validator fixture: a mono amplifier whose cleanup crashes when activate never ran.
    "unactivated": ["tp_v_cleanup_unactivated"],
}


@pytest.fixture(scope="session")
def plugin_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A directory per kind of test plugin, each holding ``<name>.so`` files and nothing else
    (so it can serve as a ``LADSPA_PATH``)."""
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target") / "ladspa-testplugins"
    subprocess.run(
        ["cargo", "build", "--quiet", "--release", "--examples", "-p", "ladspa-testplugins",
         "--manifest-path", str(REPO / "ladspa-testplugins" / "Cargo.toml"),
         "--target-dir", str(target)],
        check=True,
    )
    built = target / "release" / "examples"
    root = tmp_path_factory.mktemp("plugins")
    dirs = {}
    for kind, names in KINDS.items():
        dirs[kind] = root / kind
        dirs[kind].mkdir()
        for name in names:
            shutil.copy(built / f"lib{name}.so", dirs[kind] / f"{name}.so")
    return dirs


@pytest.fixture(scope="session")
def reference(plugin_dirs: dict[str, Path]) -> Path:
    return plugin_dirs["reference"]


@pytest.fixture(scope="session")
def debian() -> Path:
    """Debian's plugin directory; its packages are installed by .ci/run, and a missing one is
    a failure, never a skip."""
    for name in ("amp.so", "filter.so", "cmt.so", "tap_reverb.so", "delay.so"):
        assert (DEBIAN / name).is_file(), f"{DEBIAN / name} is missing: run .ci/run's apt-get step"
    return DEBIAN


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Scans keep their cache in a directory of the test run, not the user's."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Runs ``code`` in a new interpreter (for what may end the process that runs it)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def write_wav(path: Path, channels: int, frames: int, seed: int = 0, rate: int = 48_000) -> None:
    """A 16-bit PCM WAV file of noise at -6 dBFS."""
    samples = np.random.default_rng(seed).uniform(-0.5, 0.5, (frames, channels))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((samples * 32767).astype("<i2").tobytes())
