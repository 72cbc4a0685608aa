"""The catalog from Python: worker processes that are this interpreter loading the extension."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

import ladspa


def test_scan_lists_plugins_without_loading_them_here(reference: Path, tmp_path: Path) -> None:
    cache = tmp_path / "catalog.bin"
    catalog = ladspa.scan([reference], cache=cache)
    assert catalog.report["scanned"] == len(list(reference.iterdir()))
    workers = catalog.report["workers_started"]
    assert isinstance(workers, int) and workers >= 1 and cache.is_file()
    with open("/proc/self/maps") as maps:
        loaded_here = maps.read()
    entry = catalog.find("tp_amp_mono")[0]
    assert (entry.label, entry.unique_id, entry.name) == ("tp_amp_mono", 7001, "Test Mono Amplifier")
    assert [p.name for p in entry.ports] == ["Gain", "Input", "Output"]
    assert entry.ports[0].default(48_000) == 1.0
    assert catalog.find(7001) == [] or catalog.find(7001)[0].label == "tp_amp_mono"
    assert len(catalog) == len(catalog.plugins) and catalog.failures == []
    if str(reference / "tp_hints.so") not in loaded_here:
        # Scanning loaded nothing into this process; loading an entry does.
        descriptor = catalog.find("tp_hints")[0].load()
        assert isinstance(descriptor, ladspa.Descriptor) and descriptor.plugin.descriptors[0] is descriptor
    warm = ladspa.scan([reference], cache=cache)
    assert (warm.report["scanned"], warm.report["workers_started"]) == (0, 0)


def test_lethal_files_are_reported_by_the_scan(plugin_dirs: dict[str, Path], reference: Path, tmp_path: Path) -> None:
    shutil.copy(reference / "tp_amp.so", tmp_path / "tp_amp.so")
    for lethal in plugin_dirs["lethal"].iterdir():
        shutil.copy(lethal, tmp_path / lethal.name)
    started = time.monotonic()
    catalog = ladspa.scan(str(tmp_path), cache=False, timeout=2.0)
    assert time.monotonic() - started < 60
    reasons = {Path(f.path).name: f.reason or "" for f in catalog.failures}
    assert {f.status for f in catalog.failures} == {"failed"}
    assert "SIGSEGV" in reasons["tp_ctor_segv.so"]
    assert "SIGABRT" in reasons["tp_ctor_abort.so"]
    assert "exited" in reasons["tp_ctor_exit.so"]
    assert "SIGSEGV" in reasons["tp_descriptor_segv.so"] and "ladspa_descriptor(0)" in reasons["tp_descriptor_segv.so"]
    assert "no answer" in reasons["tp_descriptor_sleep.so"]
    assert [e.label for e in catalog] == ["tp_amp_mono", "tp_amp_stereo"]


def test_broken_files_are_refused_with_the_loaders_error(plugin_dirs: dict[str, Path]) -> None:
    catalog = ladspa.scan([plugin_dirs["broken"]], cache=False)
    by_name = {Path(f.path).name: f for f in catalog.files}
    assert by_name["tp_no_symbol.so"].status == "refused"
    assert by_name["tp_no_descriptors.so"].status == "refused"
    bad = by_name["tp_bad_descriptors.so"]
    assert bad.status == "loaded" and ("bad_null_name", "its Name is NULL") in bad.rejected


def test_a_changed_file_is_refused_when_loading_its_entry(reference: Path, tmp_path: Path) -> None:
    shutil.copy(reference / "tp_amp.so", tmp_path / "tp_amp.so")
    entry = ladspa.scan([tmp_path], cache=False).find("tp_amp_mono")[0]
    os.utime(tmp_path / "tp_amp.so", (1, 1))
    with pytest.raises(ladspa.FileChangedError):
        entry.load()


def test_names_resolve_through_the_catalog(reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(reference / "tp_amp.so", other / "tp_amp_copy.so")
    monkeypatch.setenv("LADSPA_PATH", f"{reference}:{other}")
    with pytest.raises(ladspa.AmbiguousPluginError) as caught:
        ladspa.resolve("tp_amp_mono")
    assert set(caught.value.candidates or []) == {
        f"{other}/tp_amp_copy.so:tp_amp_mono",
        f"{reference}/tp_amp.so:tp_amp_mono",
    }
    assert ladspa.resolve("tp_amp_copy.so:tp_amp_stereo") == (str(other / "tp_amp_copy.so"), 1)
    assert ladspa.find("tp_delay").label == "tp_delay"
    with pytest.raises(KeyError):
        ladspa.resolve("tp_amp.so:nope")


def test_debian_catalog_and_classes(debian: Path) -> None:
    catalog = ladspa.scan("/usr/lib/ladspa")
    assert len(catalog) >= 494 - 10
    reverb = catalog.find("tap_reverb")[0]
    assert reverb.plugin_class == "Reverbs"
    lpf = catalog.find("lpf")
    assert sorted(Path(e.path).name for e in lpf) == ["cmt.so", "filter.so"]
