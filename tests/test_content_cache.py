"""The content cache: start-up without YAML, and never stale content after an edit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import kiosk.core.content.cache as cache
import kiosk.core.content.loader as loader
from kiosk.core.content.cache import load_content_cached

SLIDE = "slides/01-who-we-are.yaml"


def cache_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "cache").glob("content-*.pickle"))


def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Counts the real loader's runs (it still runs: nothing is replaced)."""
    calls: list[Path] = []
    real = loader.load_content

    def counting(root: Path):  # type: ignore[no-untyped-def]
        calls.append(root)
        return real(root)

    monkeypatch.setattr(loader, "load_content", counting)
    return calls


def test_the_second_start_reads_no_yaml(content_copy: Path, data_dir: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    calls = parses(monkeypatch)
    first = load_content_cached(content_copy, data_dir)
    assert first.content is not None and len(calls) == 1
    assert len(cache_files(data_dir)) == 1
    second = load_content_cached(content_copy, data_dir)
    assert len(calls) == 1, "the cache was not used"
    assert second.content == first.content
    assert [str(p) for p in second.problems.items] == [str(p) for p in first.problems.items]


def test_an_edit_is_seen_at_the_next_start(content_copy: Path, data_dir: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    calls = parses(monkeypatch)
    before = load_content_cached(content_copy, data_dir).content
    assert before is not None
    path = content_copy / SLIDE
    text = path.read_text(encoding="utf-8")
    title = before.slides[0].title.get("en")
    assert title in text
    # Same length and the same second: only the nanoseconds of the time tell the edit apart.
    stat = path.stat()
    path.write_text(text.replace(title, title[::-1], 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    after = load_content_cached(content_copy, data_dir).content
    assert len(calls) == 2
    assert after is not None and after.slides[0].title.get("en") == title[::-1]
    assert len(cache_files(data_dir)) == 1  # the old entry is replaced, not piled up


def test_a_new_picture_or_a_removed_file_misses_the_cache(content_copy: Path, data_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    calls = parses(monkeypatch)
    load_content_cached(content_copy, data_dir)
    (content_copy / "pictures" / "extra.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    result = load_content_cached(content_copy, data_dir)
    assert len(calls) == 2
    assert any("extra.svg" in str(p) for p in result.problems.items)  # the unused-file warning
    (content_copy / "pictures" / "extra.svg").unlink()
    load_content_cached(content_copy, data_dir)
    assert len(calls) == 3


def test_a_damaged_cache_file_is_only_a_slower_start(content_copy: Path, data_dir: Path) -> None:
    good = load_content_cached(content_copy, data_dir).content
    for damage in (b"", b"not a pickle", b"\x80\x05garbage"):
        cache_files(data_dir)[0].write_bytes(damage)
        assert load_content_cached(content_copy, data_dir).content == good


def test_another_kiosk_version_does_not_use_the_cache(content_copy: Path, data_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    calls = parses(monkeypatch)
    load_content_cached(content_copy, data_dir)
    monkeypatch.setattr(cache, "__version__", "99.0")
    load_content_cached(content_copy, data_dir)
    assert len(calls) == 2


def test_bad_content_is_never_cached(content_copy: Path, data_dir: Path) -> None:
    (content_copy / "manifest.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = load_content_cached(content_copy, data_dir)
    assert result.content is None
    assert cache_files(data_dir) == []


def test_a_data_folder_where_the_cache_cannot_be_written_still_loads(content_copy: Path,
                                                                      tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "cache").write_text("a file where the cache folder should be")  # fails for root too
    assert load_content_cached(content_copy, data).content is not None
    assert load_content_cached(content_copy, data).content is not None


def test_the_last_good_copy_is_made_once_per_change_not_at_every_start(content_copy: Path, data_dir: Path) -> None:
    from kiosk.core.packs.library import LAST_GOOD, choose_content

    copy = data_dir / LAST_GOOD / "manifest.yaml"
    assert choose_content(content_copy, data_dir).source == content_copy
    first = copy.stat().st_ino
    choose_content(content_copy, data_dir)
    assert copy.stat().st_ino == first, "an unchanged pack was copied again"
    # An edit is copied...
    slide = content_copy / SLIDE
    slide.write_text(slide.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    choose_content(content_copy, data_dir)
    assert copy.stat().st_ino != first
    assert (data_dir / LAST_GOOD / SLIDE).read_text(encoding="utf-8") == slide.read_text(encoding="utf-8")
    # ... and so is a pack whose copy was damaged since.
    copy.unlink()
    choose_content(content_copy, data_dir)
    assert copy.is_file()
