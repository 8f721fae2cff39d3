"""The command line: one registry of commands, and `--data-dir`, `--config` and `--content` before or
after the command's name, for every command where they mean something, each seen to take effect.

Before: `kiosk --data-dir X stats report`; after: `kiosk stats report --data-dir X`; for `stats`
also between: `kiosk stats --data-dir X report`. X is never the folder KIOSK_DATA_DIR names (the
autouse fixture points that at tmp_path/data), so an option that is dropped shows.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kiosk.commands
from kiosk.cli import main
from kiosk.commands import COMMANDS
from kiosk.core.site.settings import Settings, load_settings, save_settings
from kiosk.core.staff.pin import verify_pin
from kiosk.core.stats.stats import open_store
from tests.support import ROOT, Clock, content_copy, need_tool

POSITIONS = ("before", "after")
PIN = "482916"


def argv(position: str, command: list[str], options: list[str], rest: list[str] | None = None) -> list[str]:
    """The command line with the global `options` before the command's words, between them, or at the end."""
    rest = rest or []
    if position == "before":
        return [*options, *command, *rest]
    if position == "between":  # `stats --data-dir X export`
        return [command[0], *options, *command[1:], *rest]
    return [*command, *rest, *options]


def broken_pack(tmp_path: Path, name: str = "broken") -> Path:
    pack = content_copy(tmp_path, name)
    (pack / "manifest.yaml").write_text("id: [\n", encoding="utf-8")
    return pack


def site(tmp_path: Path, text: str, name: str = "site") -> Path:
    """A data folder of its own (not the one KIOSK_DATA_DIR names) with this settings.yaml."""
    folder = tmp_path / name
    folder.mkdir(parents=True)
    (folder / "settings.yaml").write_text(text, encoding="utf-8")
    return folder


def config_file(tmp_path: Path, text: str, name: str = "elsewhere/site.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run_kiosk_command(args: list[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


# -- the registry -------------------------------------------------------------------------------

def test_every_module_in_kiosk_commands_is_registered() -> None:
    modules = {p.stem for p in Path(kiosk.commands.__file__).parent.glob("*.py") if p.stem != "__init__"}
    assert modules == set(COMMANDS)
    for module in kiosk.commands.command_modules():
        assert callable(module.add_parser), module.__name__


def test_a_command_module_that_cannot_be_imported_stops_kiosk_loudly(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "commands"
    extra.mkdir()
    (extra / "broken.py").write_text("import a_module_that_is_not_installed\n", encoding="utf-8")
    monkeypatch.setattr(kiosk.commands, "__path__", [*kiosk.commands.__path__, str(extra)])
    monkeypatch.setattr(kiosk.commands, "COMMANDS", (*COMMANDS, "broken"))
    monkeypatch.delitem(sys.modules, "kiosk.commands.broken", raising=False)
    with pytest.raises(ModuleNotFoundError, match="a_module_that_is_not_installed"):
        main(["check"])  # not "kiosk check works, kiosk broken is just missing"


def test_the_real_command_fails_with_the_import_error_on_its_error_stream(tmp_path: Path) -> None:
    code = ("import sys, kiosk.commands as c; c.__path__.append(sys.argv[1]); c.COMMANDS += ('broken',);"
            "from kiosk.cli import main; sys.exit(main(['--help']))")
    (tmp_path / "broken.py").write_text("raise ImportError('this command needs a library that is missing')\n",
                                        encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1, done.stdout
    assert "ImportError: this command needs a library that is missing" in done.stderr
    assert "usage:" not in done.stdout


# -- kiosk check ----------------------------------------------------------------------------------

@pytest.mark.parametrize("position", POSITIONS)
def test_check_checks_the_folder_content_names(position: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = broken_pack(tmp_path)
    assert main(argv(position, ["check"], ["--content", str(broken)])) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"Checking the content in {broken}") and "1 error: " in out


@pytest.mark.parametrize("position", POSITIONS)
def test_check_checks_the_folder_the_config_file_names(position: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    broken = broken_pack(tmp_path)
    config = config_file(tmp_path, f"content_dir: {broken}\n")
    assert main(argv(position, ["check"], ["--config", str(config)])) == 1
    assert capsys.readouterr().out.startswith(f"Checking the content in {broken}")


@pytest.mark.parametrize("position", POSITIONS)
def test_check_checks_the_folder_the_data_dirs_settings_name(position: str, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    broken = broken_pack(tmp_path)
    folder = site(tmp_path, f"content_dir: {broken}\n")
    assert main(argv(position, ["check"], ["--data-dir", str(folder)])) == 1
    assert capsys.readouterr().out.startswith(f"Checking the content in {broken}")
    assert main(["check"]) == 0  # without it: the bundled content, which is usable


# -- kiosk proof ----------------------------------------------------------------------------------

def proof_states_in_russian(qapp: object, data: Path) -> int:
    """How many pages `kiosk proof` makes of the bundled pack for one language: one per state."""
    from kiosk.app import build_kiosk
    from kiosk.ui.proof import states

    kiosk = build_kiosk(data, None, None, (683, 384), with_stats=False)
    kiosk.window.build_all_screens()  # type: ignore[attr-defined]
    count = sum(1 for _state in states(kiosk, "ru"))
    kiosk.window.close()  # type: ignore[attr-defined]
    kiosk.window.deleteLater()  # type: ignore[attr-defined]
    return count


@pytest.mark.slow  # a kiosk process that draws 60-odd screens: about 3 s
@pytest.mark.parametrize("position", POSITIONS)
def test_proof_shows_the_edited_pack_in_the_languages_of_the_given_settings(
        position: str, tmp_path: Path, data_dir: Path, qapp: object) -> None:
    pages = proof_states_in_russian(qapp, data_dir)
    # --content: a pack with one slide fewer; --config: settings elsewhere that enable Russian
    # alone (the pack has four languages); --data-dir: where the last good copy of the pack goes.
    pack = content_copy(tmp_path, "edited")
    (pack / "slides" / "04-passport.yaml").unlink()
    config = config_file(tmp_path, "languages: [ru]\n")
    folder = tmp_path / "site"
    out = tmp_path / "proof.pdf"
    # In a process of its own: the proof tidies memory after every page, which is slow in a big test process.
    done = run_kiosk_command(argv(position, ["proof"],
                                  ["--content", str(pack), "--config", str(config), "--data-dir", str(folder)],
                                  ["--output", str(out), "--size", "683x384"]))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == f"wrote {pages - 1} pages to {out}"
    assert out.read_bytes().startswith(b"%PDF")
    last_good = folder / "content-last-good"
    assert (last_good / "manifest.yaml").is_file() and not (last_good / "slides" / "04-passport.yaml").exists()


# -- kiosk leaflet --------------------------------------------------------------------------------

def pdf_text(path: Path) -> str:
    need_tool("pdftotext", "poppler-utils")
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.replace("\u00a0", " ").split())


def retitled_pack(tmp_path: Path, title: str, name: str = "retitled") -> Path:
    pack = content_copy(tmp_path, name)
    leaflet = pack / "leaflet.yaml"
    text = leaflet.read_text(encoding="utf-8")
    start = text.index("\n  ru: ", text.index("title:")) + len("\n  ru: ")
    end = text.index("\n", start)
    leaflet.write_text(text[:start] + f'"{title}"' + text[end:], encoding="utf-8")
    return pack


@pytest.mark.parametrize("position", POSITIONS)
def test_leaflet_is_made_from_the_pack_content_or_the_data_dirs_settings_name(position: str, tmp_path: Path,
                                                                             qapp: object) -> None:
    out = tmp_path / "leaflet.pdf"
    pack = retitled_pack(tmp_path, "Заголовок из другой папки")
    assert main(argv(position, ["leaflet"], ["--content", str(pack)], ["--lang", "ru", "--output", str(out)])) == 0
    assert "Заголовок из другой папки" in pdf_text(out)
    other = retitled_pack(tmp_path, "Заголовок из настроек сайта", "configured")
    folder = site(tmp_path, f"content_dir: {other}\n")
    assert main(argv(position, ["leaflet"], ["--data-dir", str(folder)], ["--lang", "ru", "--output", str(out)])) == 0
    assert "Заголовок из настроек сайта" in pdf_text(out)


@pytest.mark.cups
@pytest.mark.parametrize("position", POSITIONS)
def test_leaflet_prints_on_the_printer_the_config_file_names(position: str, tmp_path: Path, qapp: object, cups,  # type: ignore[no-untyped-def]
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    config = config_file(tmp_path, "printer: kiosk-pdf\n")
    before = len(cups.outputs("kiosk-pdf"))
    assert main(argv(position, ["leaflet"], ["--config", str(config)], ["--lang", "ru", "--print"])) == 0
    assert "on kiosk-pdf (job kiosk-pdf-" in capsys.readouterr().out
    assert len(cups.wait_for_output("kiosk-pdf", before + 1)) == before + 1
    # and a printer that is not there, named the same way, is refused by name
    config.write_text("printer: no-such-printer\n", encoding="utf-8")
    assert main(argv(position, ["leaflet"], ["--config", str(config)], ["--lang", "ru", "--print"])) == 1
    assert "there is no printer called 'no-such-printer'" in capsys.readouterr().err


# -- kiosk stats export / report ------------------------------------------------------------------

def kiosk_with_figures(tmp_path: Path, visits: int, kiosk_id: str = "shymkent-7") -> Path:
    import datetime as dt

    folder = tmp_path / "site"
    save_settings(folder / "settings.yaml", Settings(kiosk_id=kiosk_id))
    store = open_store(folder, Clock(dt.datetime.now().replace(microsecond=0)))
    for _ in range(visits):
        store.record("visit", "kk")
    store.close()
    return folder


@pytest.mark.parametrize("position", [*POSITIONS, "between"])
def test_stats_export_reads_the_data_dirs_statistics_and_the_configs_kiosk_id(
        position: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = kiosk_with_figures(tmp_path, visits=7)
    assert main(argv(position, ["stats", "export"], ["--data-dir", str(folder)], ["--output", "-"])) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["kiosk_id"], r["language"], r["visits"]) for r in rows] == [("shymkent-7", "kk", "7")]
    config = config_file(tmp_path, "kiosk_id: turkestan-2\n")
    assert main(argv(position, ["stats", "export"], ["--data-dir", str(folder), "--config", str(config)],
                     ["--output", "-"])) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["kiosk_id"], r["visits"]) for r in rows] == [("turkestan-2", "7")]


@pytest.mark.parametrize("position", [*POSITIONS, "between"])
def test_stats_report_reads_the_data_dirs_statistics_the_config_and_the_content(
        position: str, tmp_path: Path, qapp: object, capsys: pytest.CaptureFixture[str]) -> None:
    folder = kiosk_with_figures(tmp_path, visits=5)
    out = tmp_path / "report.pdf"
    config = config_file(tmp_path, "kiosk_id: turkestan-2\ncolour: blue\n")
    broken = broken_pack(tmp_path)
    assert main(argv(position, ["stats", "report"],
                     ["--data-dir", str(folder), "--config", str(config), "--content", str(broken)],
                     ["--output", str(out)])) == 0
    printed = capsys.readouterr()
    assert "(5 visits) written to" in printed.out
    assert f"kiosk stats: {config}:2: warning: the kiosk has no setting 'colour' and ignores this line" in printed.err
    assert f"kiosk stats: the content in {broken} has errors" in printed.err
    assert out.read_bytes().startswith(b"%PDF")


# -- kiosk set-pin --------------------------------------------------------------------------------

@pytest.mark.parametrize("position", POSITIONS)
def test_set_pin_writes_the_settings_of_the_data_dir_or_the_config_file(
        position: str, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "site"
    monkeypatch.setattr(sys, "stdin", io.StringIO(PIN + "\n"))
    assert main(argv(position, ["set-pin"], ["--data-dir", str(folder)], ["--pin-stdin"])) == 0
    assert verify_pin(PIN, load_settings(folder / "settings.yaml")[0].staff_pin)
    config = tmp_path / "elsewhere" / "site.yaml"
    monkeypatch.setattr(sys, "stdin", io.StringIO("135790\n"))
    assert main(argv(position, ["set-pin"], ["--config", str(config)], ["--pin-stdin"])) == 0
    assert verify_pin("135790", load_settings(config)[0].staff_pin)
    assert verify_pin(PIN, load_settings(folder / "settings.yaml")[0].staff_pin)  # untouched
    assert not (data_dir / "settings.yaml").exists()  # KIOSK_DATA_DIR's folder was never written


# -- --lang: the language of the messages ---------------------------------------------------------

@pytest.mark.parametrize("position", POSITIONS)
def test_check_speaks_the_language_given(position: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = broken_pack(tmp_path)
    assert main(argv(position, ["check"], ["--lang", "kk", "--content", str(broken)])) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{broken} ішіндегі мазмұн тексерілуде") and "1 қате: " in out, out
    assert main(argv(position, ["check"], ["--lang", "en", "--content", str(broken)])) == 1
    assert capsys.readouterr().out.startswith(f"Checking the content in {broken}")


@pytest.mark.parametrize("position", POSITIONS)
def test_pack_speaks_the_language_given(position: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "site"
    assert main(argv(position, ["pack", "status"], ["--lang", "ru", "--data-dir", str(folder)])) == 0
    assert capsys.readouterr().out.splitlines()[:2] == ["текущее: нет (содержание, поставляемое с киоском)",
                                                        "предыдущее: нет"]
    assert main(argv(position, ["pack", "rollback"], ["--lang", "uz", "--data-dir", str(folder)])) == 1
    assert capsys.readouterr().err == "kiosk pack: Qaytish mumkin boʻlgan oldingi versiya yoʻq.\n"


@pytest.mark.parametrize("position", POSITIONS)
def test_set_pin_speaks_the_language_given(position: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    folder = site(tmp_path, "colour: blue\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PIN + "\n"))
    assert main(argv(position, ["set-pin"], ["--lang", "kk", "--data-dir", str(folder)], ["--pin-stdin"])) == 2
    err = capsys.readouterr().err
    assert "ақаулар бар" in err and "киоскте 'colour' баптауы жоқ" in err, err
    (folder / "settings.yaml").unlink()
    monkeypatch.setattr(sys, "stdin", io.StringIO("12\n"))
    assert main(argv(position, ["set-pin"], ["--lang", "ru", "--data-dir", str(folder)], ["--pin-stdin"])) == 1
    assert "от 4 до 12 цифр; ничего не изменено" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO(PIN + "\n"))
    assert main(argv(position, ["set-pin"], ["--lang", "uz", "--data-dir", str(folder)], ["--pin-stdin"])) == 0
    assert capsys.readouterr().out.startswith("Xodim PIN kodi oʻrnatildi")


def test_the_locale_is_the_default_and_lang_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    broken = broken_pack(tmp_path)
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert main(["check", str(broken)]) == 1
    assert capsys.readouterr().out.startswith(f"Проверка содержания в {broken}")
    assert main(["--lang", "en", "check", str(broken)]) == 1
    assert capsys.readouterr().out.startswith(f"Checking the content in {broken}")


def test_a_commands_own_lang_keeps_its_meaning_after_its_name() -> None:
    from kiosk.cli import parse_args

    args = parse_args(["--lang", "kk", "leaflet", "--lang", "ru", "--output", "x.pdf"])
    assert (args.message_lang, args.lang) == ("kk", "ru")  # messages in Kazakh, the leaflet in Russian
    args = parse_args(["stats", "report", "--lang", "uz", "--output", "x.pdf"])
    assert (args.message_lang, args.lang) == (None, "uz")
    args = parse_args(["--lang", "ru", "proof", "--lang", "kk", "--output", "x.pdf"])
    assert (args.message_lang, args.lang) == ("ru", ["kk"])


# -- kiosk bench ----------------------------------------------------------------------------------

@pytest.mark.parametrize("position", POSITIONS)
def test_bench_stats_simulates_in_the_folder_given_and_refuses_the_kiosks_options(
        position: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = tmp_path / "scratch"
    where.mkdir()
    assert main(["bench", "--stats", "--days", "2", "--visits-per-day", "3", "--folder", str(where)]) == 0
    assert f"in {where}/kiosk-stats-bench-" in capsys.readouterr().out
    assert list(where.iterdir()) == []  # and cleaned up after itself
    for option in ("--data-dir", "--config", "--content"):
        assert main(argv(position, ["bench"], [option, str(tmp_path / "x")], ["--stats", "--days", "1"])) == 2
        assert f"kiosk bench --stats: {option} mean nothing here" in capsys.readouterr().err


@pytest.mark.slow  # nine starts of the real kiosk and a soak: about 8 s
@pytest.mark.parametrize("position", POSITIONS)
def test_bench_starts_the_kiosk_on_the_data_dir_config_and_content_given(position: str, tmp_path: Path) -> None:
    folder = tmp_path / "site"
    config = config_file(tmp_path, "colour: blue\n")
    broken = broken_pack(tmp_path)
    done = run_kiosk_command(argv(position, ["bench"],
                                  ["--data-dir", str(folder), "--config", str(config), "--content", str(broken)],
                                  ["--taps", "2", "--changes", "20"]))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "start to first painted frame" in done.stdout
    log = (folder / "logs" / "kiosk.log").read_text(encoding="utf-8")  # the kiosks it started logged here
    assert f"settings: {config}:1: warning: the kiosk has no setting 'colour' and ignores this line" in log
    assert f"the content in {broken} has 1 error(s)" in log


# -- kiosk monkey ---------------------------------------------------------------------------------

@pytest.mark.parametrize("position", POSITIONS)
def test_monkey_runs_the_kiosk_on_the_data_dir_config_and_content_given(position: str, tmp_path: Path) -> None:
    folder = tmp_path / "site"
    config = config_file(tmp_path, "kiosk_id: monkey-site\n")
    broken = broken_pack(tmp_path)
    done = run_kiosk_command(argv(position, ["monkey"],
                                  ["--data-dir", str(folder), "--config", str(config), "--content", str(broken)],
                                  ["--events", "30", "--seed", "3"]))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "unhandled exceptions: 0; Qt warnings: 0" in done.stdout
    assert f"data folder (logs, statistics): {folder}" in done.stdout
    # it locked staff mode with a PIN it was never told, in the settings file it was given
    settings = load_settings(config)[0]
    assert settings.kiosk_id == "monkey-site" and settings.staff_pin.startswith("scrypt$")
    assert not (folder / "settings.yaml").exists()
    log = (folder / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert f"the content in {broken} has 1 error(s)" in log  # and fell back from the pack it was given


def test_a_reader_that_goes_away_early_gets_no_traceback(tmp_path: Path) -> None:
    """`kiosk check | head -2`: the pipe closes under the report; the command ends quietly."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first line: every write fails with EPIPE
    try:
        done = subprocess.run([sys.executable, "-m", "kiosk", "check", str(ROOT / "content"), "--data-dir",
                               str(tmp_path)], stdout=write_end, stderr=subprocess.PIPE, text=True, env=env,
                              timeout=120)
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
