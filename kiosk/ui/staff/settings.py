"""The staff Settings tab: idle time, languages and their default, paper limits, the voice; saved at once.

What staff change is a draft (kiosk/core/staff/staff.py) until they tap Save; then it is written to
the settings file and put in force through the one `SiteConfig`, so the next visitor, the next
leaflet and the idle timer all follow it without a restart.
"""

from __future__ import annotations

import dataclasses
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton

from kiosk.core.model import LANGUAGES, N_, NATIVE_NAMES
from kiosk.core.staff import SettingsDraft
from kiosk.ui.staff.common import Staff, Tab, label, set_role
from kiosk.ui.widgets import big_button

log = logging.getLogger(__name__)

# TRANSLATORS: staff screen tab.
TAB_SETTINGS = N_("Settings")
# TRANSLATORS: staff settings tab.
S_IDLE = N_("Start over after no touch for (seconds)")
S_LANGUAGES = N_("Languages offered (tap to switch on or off)")
S_DEFAULT = N_("Default language")
S_PER_VISIT = N_("Leaflets per visitor")
S_PER_HOUR = N_("Leaflets per hour")
# TRANSLATORS: staff settings tab: loudness of the voice that reads screens aloud, in percent.
S_VOLUME = N_("Volume of the voice reading aloud (0: no voice)")
# TRANSLATORS: staff settings tab: every visitor screen is read aloud by itself when it is shown.
S_AUTO = N_("Read each screen aloud")
# TRANSLATORS: staff settings tab: the waiting screen (before a visitor touches it) reads its invitation aloud.
S_ATTRACT_SOUND = N_("Sound while the kiosk waits for a visitor")
# TRANSLATORS: staff settings tab: a switch that is on (tap to switch it off).
S_ON = N_("On")
# TRANSLATORS: staff settings tab: a switch that is off (tap to switch it on).
S_OFF = N_("Off")
# TRANSLATORS: staff settings tab: evidence of learning, on or off, and the percent of visitors asked one
# quiz question before the menu (the others are the comparison group).
S_EVIDENCE = N_("Evidence of learning: visitors asked one question before the menu (%)")
S_SAVE = N_("Save settings")
S_SAVED = N_("Settings saved.")
S_NOT_SAVED = N_("Settings could not be saved: {error}")

EDITED = ("idle_timeout_s", "prints_per_visit", "prints_per_hour", "languages", "default_language",
          "narration_volume", "narration_auto", "attract_sound", "evidence", "evidence_before_share")
STEPPERS = (("idle_timeout_s", S_IDLE, 15), ("prints_per_visit", S_PER_VISIT, 1), ("prints_per_hour", S_PER_HOUR, 5),
            ("narration_volume", S_VOLUME, 10), ("evidence_before_share", S_EVIDENCE, 10))
SWITCHES = (("narration_auto", S_AUTO), ("attract_sound", S_ATTRACT_SOUND))


class SettingsTab(Tab):
    title = TAB_SETTINGS

    def __init__(self, staff: Staff) -> None:
        super().__init__()
        self.staff = staff
        self.draft = SettingsDraft(staff.config.settings)
        t = staff.theme
        grid = QGridLayout(self)
        grid.setVerticalSpacing(t.mm(2))  # 3 mm would push Save off a 1366x768 screen
        grid.setHorizontalSpacing(t.mm(4))
        self.steppers: dict[str, tuple[QLabel, QLabel]] = {}
        self.step_buttons: dict[str, tuple[QPushButton, QPushButton]] = {}  # (−, +)
        for row, (key, _text, step) in enumerate(STEPPERS):
            name, value = label(t, 4.5), label(t, 5.5, bold=True, wrap=False)
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value.setMinimumWidth(t.mm(18))
            minus, plus = big_button("−"), big_button("+")
            for button in (minus, plus):
                button.setFont(t.font(7, bold=True))
                button.setFixedWidth(t.mm(20))
            minus.clicked.connect(lambda _=False, k=key, s=step: self._step(k, -s))
            plus.clicked.connect(lambda _=False, k=key, s=step: self._step(k, s))
            box = QHBoxLayout()  # the value sits between its own − and +
            box.setSpacing(t.mm(3))
            box.addWidget(minus)
            box.addWidget(value)
            box.addWidget(plus)
            if key == "evidence_before_share":  # its On/Off beside the share, on the same row
                box.addSpacing(t.mm(5))
                self.evidence_switch = big_button(role="secondary")
                self.evidence_switch.setFont(t.font(4.5, bold=True))
                self.evidence_switch.setMinimumWidth(t.mm(30))
                self.evidence_switch.clicked.connect(lambda _=False: self._switch("evidence"))
                box.addWidget(self.evidence_switch)
            box.addStretch(1)
            grid.addWidget(name, row, 0)
            grid.addLayout(box, row, 1)
            self.steppers[key] = (name, value)
            self.step_buttons[key] = (minus, plus)
        self.languages_title = label(t, 4.5)
        self.default_title = label(t, 4.5)
        self.enabled_buttons: dict[str, QPushButton] = {}
        self.default_buttons: dict[str, QPushButton] = {}
        enabled_row, default_row = QHBoxLayout(), QHBoxLayout()
        for row_layout in (enabled_row, default_row):
            row_layout.setSpacing(t.mm(2))
        for lang in LANGUAGES:
            for buttons, row_layout, action in ((self.enabled_buttons, enabled_row, self._toggle_language),
                                                (self.default_buttons, default_row, self._set_default)):
                button = big_button(NATIVE_NAMES[lang], role="secondary")
                button.setFont(t.font(4.2))
                button.clicked.connect(lambda _=False, lang=lang, a=action: a(lang))
                row_layout.addWidget(button)
                buttons[lang] = button
        row = len(STEPPERS)
        grid.addWidget(self.languages_title, row, 0)
        grid.addLayout(enabled_row, row, 1)
        grid.addWidget(self.default_title, row + 1, 0)
        grid.addLayout(default_row, row + 1, 1)
        row += 2
        # On/off settings: one button each, side by side on one row, so that Save stays on the
        # screen at 1366x768 without scrolling.
        self.switches: dict[str, tuple[QLabel, QPushButton]] = {}
        box = QHBoxLayout()
        box.setSpacing(t.mm(3))
        for i, (key, _text) in enumerate(SWITCHES):
            name, button = label(t, 4.5), big_button(role="secondary")
            button.setFont(t.font(4.5, bold=True))
            button.setMinimumWidth(t.mm(30))
            button.clicked.connect(lambda _=False, k=key: self._switch(k))
            if i == 0:
                grid.addWidget(name, row, 0)
            else:
                box.addSpacing(t.mm(8))
                box.addWidget(name)
            box.addWidget(button)
            self.switches[key] = (name, button)
        box.addStretch(1)
        if SWITCHES:
            grid.addLayout(box, row, 1)
            row += 1
        self.save = big_button()
        self.save.setFont(t.font(4.5, bold=True))
        self.save.clicked.connect(self.save_settings)
        self.settings_message = label(t, 4.2)
        grid.addWidget(self.save, row, 0)
        grid.addWidget(self.settings_message, row, 1)
        grid.setRowStretch(row + 1, 1)
        grid.setColumnStretch(1, 1)

    def start_over(self) -> None:
        """A fresh draft from the settings in force (each time the staff screen opens)."""
        self.draft = SettingsDraft(self.staff.config.settings)
        self.settings_message.setText("")

    def refresh(self) -> None:
        staff = self.staff
        t = staff.t
        settings = self.draft.settings
        for key, text, _step in STEPPERS:
            name, value = self.steppers[key]
            name.setText(t(text))
            value.setText(str(getattr(settings, key)))
        self.languages_title.setText(t(S_LANGUAGES))
        self.default_title.setText(t(S_DEFAULT))
        content = staff.session.content
        enabled = self.draft.enabled_languages(content)
        default = self.draft.default_language(content)
        for lang in LANGUAGES:
            available = lang in content.languages
            for buttons, on in ((self.enabled_buttons, lang in enabled), (self.default_buttons, lang == default)):
                button = buttons[lang]
                button.setEnabled(available)
                set_role(button, "primary" if on else "secondary")
        for key, text in SWITCHES:
            name, button = self.switches[key]
            on = bool(getattr(settings, key))
            name.setText(t(text))
            button.setText(t(S_ON) if on else t(S_OFF))
            set_role(button, "primary" if on else "secondary")
        on = settings.evidence
        self.evidence_switch.setText(t(S_ON) if on else t(S_OFF))
        set_role(self.evidence_switch, "primary" if on else "secondary")
        self.save.setText(t(S_SAVE))

    def _changed(self) -> None:
        self.settings_message.setText("")
        self.refresh()

    def _step(self, key: str, step: int) -> None:
        self.draft.step(key, step)
        self._changed()

    def _switch(self, key: str) -> None:
        self.draft.settings = dataclasses.replace(self.draft.settings, **{key: not getattr(self.draft.settings, key)})
        self._changed()

    def _toggle_language(self, language: str) -> None:
        self.draft.toggle_language(language, self.staff.session.content)
        self._changed()

    def _set_default(self, language: str) -> None:
        self.draft.set_default_language(language, self.staff.session.content)
        self._changed()

    def save_settings(self) -> None:
        config = self.staff.config
        # Only what this tab edits: a printer chosen meanwhile on the Printer tab is kept.
        wanted = dataclasses.replace(config.settings, **{k: getattr(self.draft.settings, k) for k in EDITED})
        try:
            config.save(wanted)
        except OSError as exc:
            log.error("settings not saved to %s: %s", config.path, exc)
            self.settings_message.setText(self.staff.t(S_NOT_SAVED).format(error=exc.strerror or exc))
            return
        self.draft = SettingsDraft(wanted)
        log.info("staff saved the settings to %s", config.path)
        self.settings_message.setText(self.staff.t(S_SAVED))
