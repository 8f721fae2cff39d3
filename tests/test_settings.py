"""Site settings: clear messages and defaults for bad values, never a crash."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.site.config import resolve_languages
from kiosk.core.site.settings import Settings, load_settings, save_settings, settings_path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings, problems = load_settings(tmp_path / "nope.yaml")
    assert settings == Settings() and problems.items == []


def test_values_are_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("kiosk_id: akimat-sairam\nlanguages: [ru, kk]\ndefault_language: ru\nidle_timeout_s: 60\n")
    settings, problems = load_settings(path)
    assert problems.items == []
    assert settings.kiosk_id == "akimat-sairam" and settings.languages == ("ru", "kk")
    assert settings.default_language == "ru" and settings.idle_timeout_s == 60


def test_bad_values_are_reported_and_replaced_by_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("idle_timeout_s: soon\nlanguages: [ru, de]\nidel_countdown_s: 5\nprints_per_hour: -3\n")
    settings, problems = load_settings(path)
    assert settings.idle_timeout_s == 90 and settings.languages == () and settings.prints_per_hour == 30
    messages = [str(p) for p in problems.items]
    assert f"{path.as_posix()}:1: 'idle_timeout_s:' should be a whole number, such as 15; until this is fixed, the kiosk uses 90" in messages
    assert any(":2: 'languages:' should be a list of languages" in m for m in messages)
    assert any(":3: warning: the kiosk has no setting 'idel_countdown_s' and ignores this line. Did you mean 'idle_countdown_s'?" in m
               for m in messages)
    assert any(":4: 'prints_per_hour: -3' is out of range; write a number from 0 to 1000" in m for m in messages)


def test_broken_yaml_gives_defaults_and_a_message(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("idle_timeout_s: [60\n")
    settings, problems = load_settings(path)
    assert settings == Settings() and problems.errors


def test_save_then_load_round_trips_only_what_differs(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "settings.yaml"
    wanted = Settings(kiosk_id="k2", languages=("uz", "ru"), idle_timeout_s=45)
    save_settings(path, wanted)
    assert load_settings(path)[0] == wanted
    assert "prints_per_hour" not in path.read_text()


def test_settings_live_in_the_data_dir_unless_given(tmp_path: Path) -> None:
    assert settings_path(tmp_path, None) == tmp_path / "settings.yaml"
    assert settings_path(tmp_path, tmp_path / "x.yaml") == tmp_path / "x.yaml"


def test_site_languages_are_limited_to_the_content_and_ordered_by_the_site() -> None:
    content = ("kk", "ru", "uz", "en")
    assert resolve_languages(Settings(languages=("ru", "kk")), content, "kk") == (("ru", "kk"), "kk")
    assert resolve_languages(Settings(languages=("ru",), default_language="uz"), content, "kk") == (("ru",), "ru")
    assert resolve_languages(Settings(), ("ru", "en"), "ru") == (("ru", "en"), "ru")


def test_the_pin_written_by_another_program_is_taken_from_the_file_and_kept(tmp_path: Path) -> None:
    import dataclasses

    from kiosk.core.site.config import SiteConfig

    path = tmp_path / "settings.yaml"
    save_settings(path, Settings(staff_pin="old", idle_timeout_s=60))
    config = SiteConfig(load_settings(path)[0], path)
    seen: list[str] = []
    config.watch(("staff_pin",), lambda s: seen.append(s.staff_pin))
    assert not config.reread()  # nothing changed: one stat(), no signal
    file_edit = dataclasses.replace(load_settings(path)[0], staff_pin="new", idle_timeout_s=30)
    save_settings(path, file_edit)  # as `kiosk set-pin` does, from another process
    assert config.reread() and seen == ["new"]
    assert config.settings.staff_pin == "new" and config.settings.idle_timeout_s == 60  # only the PIN
    assert not config.reread()
    save_settings(path, dataclasses.replace(file_edit, staff_pin="newer"))
    config.update(languages=("kk", "ru"))  # a staff save with the PIN the kiosk had
    assert load_settings(path)[0].staff_pin == "newer" and config.settings.staff_pin == "newer"
    config.update(staff_pin="")  # a save that sets the PIN itself wins
    assert load_settings(path)[0].staff_pin == ""
    path.unlink()
    assert not config.reread() and config.settings.staff_pin == ""  # a file gone changes nothing
