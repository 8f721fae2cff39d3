"""The staff Content tab: which content is shown, the warnings of `kiosk check`, reload from disk."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout

from kiosk.core.model import N_, damaged_files, reading_order, render
from kiosk.ui.staff.common import Staff, Tab, label
from kiosk.ui.theme import WRONG
from kiosk.ui.widgets import big_button

# TRANSLATORS: staff screen tab.
TAB_CONTENT = N_("Content")
# TRANSLATORS: staff content tab.
C_VERSION = N_("Content: {id}, version {version}, from {folder}")
C_FALLBACK = N_("The configured content could not be used, so the kiosk shows other content. Reason: {reason}")
C_NO_WARNINGS = N_("No warnings.")
C_RELOAD = N_("Reload content from disk")
C_RELOADED = N_("Content reloaded: version {version}.")
C_RELOAD_FAILED = N_("The content on disk has errors; the kiosk keeps showing version {version}. First error: {error}")


class ContentTab(Tab):
    title = TAB_CONTENT

    def __init__(self, staff: Staff) -> None:
        super().__init__()
        self.staff = staff
        t = staff.theme
        self.content_info = label(t, 4.5, bold=True)
        self.content_fallback = label(t, 4)
        self.content_fallback.setStyleSheet(f"color: {WRONG};")
        self.content_warnings = label(t, 3.8)
        self.reload = big_button()
        self.reload.setFont(t.font(4.5, bold=True))
        self.reload.clicked.connect(self.reload_content)
        self.reload_message = label(t, 4.2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.content_info)
        layout.addWidget(self.content_fallback)
        layout.addWidget(self.reload, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.reload_message)
        layout.addWidget(self.content_warnings)
        layout.addStretch(1)

    def refresh(self) -> None:
        staff = self.staff
        t = staff.t
        choice = staff.choice
        content = staff.session.content
        self.content_info.setText(t(C_VERSION).format(id=content.id, version=content.version, folder=choice.source))
        reason = "; ".join(p.render(t) for p in choice.fallback_errors) or choice.fallback_reason
        self.content_fallback.setText(render(C_FALLBACK, {"reason": reason}, t) if choice.fallback_reason else "")
        self.reload.setText(t(C_RELOAD))
        warnings = self.content_warnings_text()
        self.content_warnings.setText("\n".join(warnings) if warnings else t(C_NO_WARNINGS))

    def content_warnings_text(self) -> list[str]:
        from kiosk.core.content import load_content
        from kiosk.core.narration import index_problem

        source = self.staff.choice.source
        result = load_content(source)
        warnings = result.problems.warnings
        damaged_index = index_problem(source)  # as `kiosk check` says it
        if damaged_index is not None:
            warnings.append(damaged_index)
        # in the staff language; file names, lines and YAML keys as written (the author needs them).
        # First the kiosk's own files found damaged (settings, pack state, staff lock, safe mode, statistics).
        return [p.render(self.staff.t) for p in [*damaged_files(), *reading_order(warnings)]]

    def reload_content(self) -> None:
        from kiosk.core.packs import reload_content

        staff = self.staff
        session = staff.session
        settings = staff.config.settings
        wanted = Path(settings.content_dir) if settings.content_dir else staff.choice.source
        content, result = reload_content(session.content, wanted, staff.data_dir)
        if result.content is None:
            first = result.problems.errors[0].render(staff.t) if result.problems.errors else ""
            self.reload_message.setText(render(C_RELOAD_FAILED, {"version": content.version, "error": first}, staff.t))
        else:
            session.replace_content(content)
            staff.choice.content = content
            staff.choice.source = wanted
            staff.choice.fallback_reason = ""
            self.reload_message.setText(staff.t(C_RELOADED).format(version=content.version))
        self.refresh()
