"""The site settings in force, as one observable object: whoever uses a setting reads it here.

`SiteConfig.settings` is the one home of the settings while the kiosk runs. A staff edit goes
through `save()` (written to the file first, atomically, then put in force) and `changed` tells
everyone at once, so no part of the kiosk keeps a copy that could go stale. Qt-free.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from kiosk.core.model import Signal
from kiosk.core.site.settings import Settings, load_settings, save_settings

# Settings that another program writes into the settings file while the kiosk runs: `kiosk
# set-pin`. The kiosk takes them from the file when they matter (`reread`), and never writes
# an old value of them back over a new one.
FROM_OUTSIDE = ("staff_pin",)


def _stamp(path: Path | None) -> tuple[int, int, int] | None:
    """What tells a changed file apart: set-pin replaces the file (a new inode), an editor may not."""
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def resolve_languages(settings: Settings, content_languages: tuple[str, ...],
                      content_default: str) -> tuple[tuple[str, ...], str]:
    """The site may enable fewer languages, or reorder them, but only ones the content has."""
    languages = tuple(lang for lang in settings.languages if lang in content_languages) or content_languages
    default = settings.default_language if settings.default_language in languages else content_default
    if default not in languages:
        default = languages[0]
    return languages, default


class SiteConfig:
    """The settings in force. `changed(old, new)` fires after every change that changes something."""

    def __init__(self, settings: Settings | None = None, path: Path | None = None,
                 overrides: dict[str, object] | None = None) -> None:
        self._base = settings or Settings()  # what the settings file says (and will say)
        self.overrides = dict(overrides or {})  # in force for this run only (safe mode: no printing)
        self._settings = self._with_overrides(self._base)
        self.path = path  # where `save()` writes; None: changes live in memory only (tests, proof)
        self.changed = Signal()
        self._stamp = _stamp(path)  # the file as it was when these settings were read or written

    @property
    def settings(self) -> Settings:
        """The settings in force: the file's, with this run's overrides."""
        return self._settings

    def _with_overrides(self, settings: Settings) -> Settings:
        return dataclasses.replace(settings, **self.overrides) if self.overrides else settings  # type: ignore[arg-type]

    def _as_base(self, settings: Settings) -> Settings:
        """What to keep (and write) from settings seen with the overrides: the overridden fields
        keep the file's values, so staff saving in safe mode do not write safe mode into the file."""
        if not self.overrides:
            return settings
        return dataclasses.replace(settings, **{k: getattr(self._base, k) for k in self.overrides})  # type: ignore[arg-type]

    def replace(self, settings: Settings) -> None:
        """Put `settings` in force now (after they were saved, or for this run only)."""
        old = self._settings
        self._base = self._as_base(settings)
        new = self._with_overrides(self._base)
        if new == old:
            return
        self._settings = new
        self.changed.emit(old, new)

    def save(self, settings: Settings) -> None:
        """Write to the settings file, then put in force. OSError (disk full, read-only) leaves
        both the file and the settings in force as they were.

        A PIN that `kiosk set-pin` wrote meanwhile is kept, unless `settings` set one itself."""
        before = self._settings
        if self.reread():
            kept = {n: getattr(self._settings, n) for n in FROM_OUTSIDE if getattr(settings, n) == getattr(before, n)}
            settings = dataclasses.replace(settings, **kept)  # type: ignore[arg-type]
        if self.path is not None:
            save_settings(self.path, self._as_base(settings))
            self._stamp = _stamp(self.path)
        self.replace(settings)

    def reread(self, names: tuple[str, ...] = FROM_OUTSIDE) -> bool:
        """Takes `names` from the settings file if the file changed since it was read or written.

        One stat() when it did not change, so it can run at every PIN attempt. True when a
        setting changed (and `changed` fired). A file that cannot be read changes nothing."""
        stamp = _stamp(self.path)
        if self.path is None or stamp is None or stamp == self._stamp:
            return False
        self._stamp = stamp
        from_file, _problems = load_settings(self.path)  # a bad value is its default, as at start-up
        changes = {n: getattr(from_file, n) for n in names if getattr(from_file, n) != getattr(self._base, n)}
        if not changes:
            return False
        self.replace(dataclasses.replace(self._settings, **changes))  # type: ignore[arg-type]
        return True

    def update(self, **changes: object) -> None:
        """`save()` with some fields changed."""
        self.save(dataclasses.replace(self._settings, **changes))  # type: ignore[arg-type]

    def watch(self, names: tuple[str, ...], slot: Callable[[Settings], None]) -> None:
        """Calls `slot(new_settings)` whenever one of the named settings changes.

        Held like any Signal slot: a bound method weakly, so a screen that is gone is not kept.
        """
        for name in names:
            if name not in Settings.__dataclass_fields__:
                raise ValueError(f"no setting named {name!r}")
        self.changed.connect(_Watch(names, slot))


class _Watch:
    """A filter in front of a slot; keeps the slot's weak reference semantics."""

    def __init__(self, names: tuple[str, ...], slot: Callable[[Settings], None]) -> None:
        import weakref

        self.names = names
        self._slot: Callable[[], Callable[[Settings], None] | None]
        if hasattr(slot, "__self__") and hasattr(slot, "__func__"):
            self._slot = weakref.WeakMethod(slot)  # type: ignore[arg-type]
        else:
            self._slot = lambda: slot

    def __call__(self, old: Settings, new: Settings) -> None:
        slot = self._slot()
        if slot is not None and any(getattr(old, n) != getattr(new, n) for n in self.names):
            slot(new)
