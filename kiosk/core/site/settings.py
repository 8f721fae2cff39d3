"""Site settings: what an installer sets once per kiosk, read from a small YAML file."""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.core.model import LANGUAGES, N_, Message, Problems, msg

APP_NAME = "safe-migration-kiosk"
SETTINGS_FILE = "settings.yaml"


@dataclass(frozen=True)
class Settings:
    kiosk_id: str = "kiosk"
    languages: tuple[str, ...] = ()  # empty: every language the content enables, in its order
    default_language: str = ""  # empty: the content's default
    idle_timeout_s: int = 90
    idle_countdown_s: int = 15
    attract_slide_s: int = 7
    content_dir: str = ""  # empty: the bundled default content
    quiz_length: int = 0  # 0: the length the quiz content asks for
    printer: str = ""  # empty: the system's default printer
    prints_per_visit: int = 1
    prints_per_hour: int = 30
    staff_pin: str = ""  # scrypt hash written by `kiosk set-pin`, never the PIN itself
    staff_idle_s: int = 120
    narration_player: str = ""  # empty: the first of pw-play, paplay, ffplay, mpg123, aplay found
    narration_auto: bool = False  # each visitor screen reads itself aloud when shown (never the neutral one)
    narration_volume: int = 100  # percent of the player's own full level; 0: no narration at all
    attract_sound: bool = False  # the attract loop reads its invitation aloud
    print_backend: str = "auto"  # auto: CUPS `lp` where it is installed, else Qt (QPrinter); or cups, qt
    # Content updates (kiosk/core/packs/packs.py): the NGO's minisign public keys, as the base64 line
    # of its .pub file; a pack signed by either is trusted (two, so the NGO can rotate its key).
    pack_key_current: str = ""
    pack_key_next: str = ""
    packs_auto_apply: bool = False  # a pack arriving in the inbox is installed without staff
    inbox_dir: str = ""  # the Syncthing receive-only folder where the NGO drops packs; empty: none
    outbox_dir: str = ""  # the Syncthing send-only folder for the daily statistics files; empty: none
    open_hours: str = ""  # e.g. "08:00-19:00"; empty: always open (see kiosk/core/site/schedule.py)
    open_days: tuple[str, ...] = ()  # e.g. [mon, tue, wed, thu, fri]; empty: every day
    daily_restart: str = ""  # e.g. "03:30"; empty: no daily restart
    # The visible diagonal of the screen in inches (21.5, 15.6, ...): sizes in millimetres are
    # worked out from it and the screen's pixels. 0: trust the size the screen reports (EDID).
    screen_diagonal_in: float = 0.0
    # Evidence of learning (kiosk/core/visit/evidence.py): a share of visits, chosen at random, is
    # asked one question marked `before: true` before the menu; the others are the comparison group.
    evidence: bool = False  # `evidence: on` in the file
    evidence_before_share: int = 50  # percent of visits asked before; both groups must exist


RANGES: dict[str, tuple[int, int]] = {
    "idle_timeout_s": (15, 3600),
    "idle_countdown_s": (3, 120),
    "attract_slide_s": (2, 120),
    "quiz_length": (0, 50),
    "prints_per_visit": (0, 20),
    "prints_per_hour": (0, 1000),
    "staff_idle_s": (15, 3600),
    "narration_volume": (0, 100),
    "evidence_before_share": (1, 99),
}

FLOAT_RANGES: dict[str, tuple[float, float]] = {
    "screen_diagonal_in": (7.0, 110.0),
}


CHOICES: dict[str, tuple[str, ...]] = {
    "print_backend": ("auto", "cups", "qt"),
}


# Beside a frozen kiosk's executable (kiosk.exe): one line, the data folder. The Windows installer
# writes it (C:\ProgramData\safe-migration-kiosk), so the kiosk user and the staff tools in the
# start menu, whoever runs them, use the same folder. Only an administrator can change it there.
DATA_DIR_FILE = "data-dir.txt"


def frozen_data_dir(executable: Path) -> Path | None:
    """The folder named in DATA_DIR_FILE beside `executable`; relative to it when relative."""
    try:
        text = (executable.parent / DATA_DIR_FILE).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    line = next((ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")
    if not line:
        return None
    folder = Path(os.path.expandvars(line))
    return folder if folder.is_absolute() else executable.parent / folder


def default_data_dir() -> Path:
    """--data-dir aside: KIOSK_DATA_DIR, else (frozen build only) data-dir.txt beside the
    executable, else the user's data folder (platformdirs)."""
    env = os.environ.get("KIOSK_DATA_DIR")
    if env:
        return Path(env)
    if getattr(sys, "frozen", False):
        named = frozen_data_dir(Path(sys.executable))
        if named is not None:
            return named
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def settings_path(data_dir: Path | None, explicit: Path | None) -> Path:
    """`--config` wins; else the data dir's settings.yaml."""
    if explicit is not None:
        return explicit
    return (data_dir or default_data_dir()) / SETTINGS_FILE


def load_settings(path: Path) -> tuple[Settings, Problems]:
    """Read settings; every bad value is reported and replaced by its default."""
    problems = Problems()
    if not path.exists():
        return Settings(), problems
    from kiosk.core.model import YamlError, YDict, load_file  # only when there is a file to read
    try:
        data, _dups = load_file(path)
    except YamlError as exc:
        problems.error(path, exc.line, N_("{problem}. Until this is fixed, the kiosk uses its default settings"),
                       problem=exc.text)
        return Settings(), problems
    if data is None:
        return Settings(), problems
    if not isinstance(data, YDict):
        problems.error(path, 1, N_("the settings should be 'name: value' lines, such as idle_timeout_s: 90; "
                                   "until this is fixed, the kiosk uses its default settings"))
        return Settings(), problems
    defaults = Settings()
    values: dict[str, Any] = {}
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    for key, value in data.items():
        line = data.line_of(key)
        if key not in fields:
            import difflib

            near = difflib.get_close_matches(str(key), list(fields), n=1)
            unknown = msg(N_("the kiosk has no setting '{key}' and ignores this line"), key=key)
            if near:
                unknown = msg(N_("{message}. {hint}"), message=unknown, hint=msg(N_("Did you mean '{name}'?"),
                                                                                    name=near[0]))
            problems.warning(path, line, unknown)
            continue
        if value is None:
            continue
        default = getattr(defaults, key)
        checked = _check(key, value, default, data.raw_of(key))
        if isinstance(checked, Message):
            problems.error(path, line, N_("{problem}; until this is fixed, the kiosk uses {default}"),
                           problem=checked, default=repr(default))
        else:
            values[key] = checked
    settings = dataclasses.replace(defaults, **values)
    return settings, problems


def _check(key: str, value: Any, default: Any, raw: str | None = None) -> Any:
    """The value to use, or a Message saying what is wrong with it."""
    if isinstance(default, bool):
        return value if isinstance(value, bool) else msg(N_("'{key}:' should be true or false"), key=key)
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return msg(N_("'{key}:' should be a number, such as 21.5"), key=key)
        low_f, high_f = FLOAT_RANGES.get(key, (0.0, 1e9))
        if value != 0 and not low_f <= value <= high_f:
            return msg(N_("'{key}: {value}' is out of range; write 0 or a number from {low} to {high}"),
                       key=key, value=value, low=f"{low_f:g}", high=f"{high_f:g}")
        return float(value)
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            return msg(N_("'{key}:' should be a whole number, such as {low}"), key=key, low=RANGES.get(key, (0,))[0])
        low, high = RANGES.get(key, (0, 10**9))
        if not low <= value <= high:
            return msg(N_("'{key}: {value}' is out of range; write a number from {low} to {high}"),
                       key=key, value=value, low=low, high=high)
        return value
    if key == "open_days":
        from kiosk.core.site.schedule import DAYS

        if not isinstance(value, list) or not all(isinstance(v, str) and v.lower() in DAYS for v in value):
            return msg(N_("'{key}:' should be a list of days from {days}, such as [mon, tue, wed]"),
                       key=key, days=", ".join(DAYS))
        return tuple(dict.fromkeys(v.lower() for v in value))
    if key in ("open_hours", "daily_restart"):
        from kiosk.core.site.schedule import parse_hours, parse_time

        if key == "daily_restart" and isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
            value = "{:02d}:{:02d}".format(*divmod(value, 60))  # YAML reads an unquoted 13:30 as 810 (base 60)
        if not isinstance(value, str):
            return msg(N_("'{key}:' should be a time in quotes, such as {key}: {example}"), key=key,
                       example='"08:00-19:00"' if key == "open_hours" else '"03:30"')
        try:
            parse_hours(value) if key == "open_hours" else (value.strip() and parse_time(value))
        except ValueError as exc:
            # TRANSLATORS: {detail} says what is wrong with the time, in English.
            return msg(N_("'{key}: {value}' is not a time the kiosk understands ({detail}); write it as {example}"),
                       key=key, value=value, detail=str(exc),
                       example='"08:00-19:00"' if key == "open_hours" else '"03:30"')
        return value.strip()
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(v in LANGUAGES for v in value) or not value:
            return msg(N_("'{key}:' should be a list of languages from {choices}, such as [kk, ru]"),
                       key=key, choices=", ".join(LANGUAGES))
        return tuple(dict.fromkeys(value))
    if key in CHOICES and value not in CHOICES[key]:
        return msg(N_("'{key}:' should be one of {choices}"), key=key, choices=", ".join(CHOICES[key]))
    if key == "default_language" and value not in LANGUAGES:
        return msg(N_("'{key}:' should be one of {choices}"), key=key, choices=", ".join(LANGUAGES))
    if isinstance(value, bool) or (isinstance(value, (int, float)) and raw is not None and raw.strip() != str(value)):
        shown = raw if raw is not None else str(value).lower()
        if isinstance(value, bool):
            return msg(N_("{what}: YAML read {raw} as {value} (a yes/no value), not as text, because it is not "
                          "in quotes. Write it in quotes: {key}: \"{raw}\""),
                       what=msg(N_("'{key}'"), key=key), raw=shown, value=str(value).lower(), key=key)
        return msg(N_("{what}: YAML read {raw} as the number {value}, because it is not in quotes, so the "
                      "kiosk would show {value}. Write it in quotes: {key}: \"{raw}\""),
                   what=msg(N_("'{key}'"), key=key), raw=shown, value=value, key=key)
    if not isinstance(value, (str, int, float)):
        return msg(N_("'{key}:' should be followed by text; write it after the colon"), key=key)
    return str(value)


def save_settings(path: Path, settings: Settings) -> None:
    """Write only what differs from the defaults; atomic, so a power cut leaves old or new."""
    defaults = Settings()
    data = {}
    for f in dataclasses.fields(Settings):
        value = getattr(settings, f.name)
        if value != getattr(defaults, f.name):
            data[f.name] = list(value) if isinstance(value, tuple) else value
    import yaml

    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# Site settings of this kiosk. See docs/INSTALLING.md, section Settings.\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=True
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
