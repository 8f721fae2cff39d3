"""Problems found in content or settings, reported as `file:line: message`.

A problem keeps its message as data (kiosk/core/model/messages.py): `str(problem)` is English (logs,
tests), `problem.render(translate)` is in the reader's language (`kiosk check --lang kk`, the
staff Content tab). The file name and the line number are never translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.model.i18n import N_
from kiosk.core.model.messages import Message, Translate, english, msg, render

if TYPE_CHECKING:
    from kiosk.core.model.content import Content


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


# TRANSLATORS: how `kiosk check` and the staff screen show a problem. {where} is a file name and
# line such as manifest.yaml:52 (never translated), {message} the problem itself.
P_ERROR = N_("{where}: {message}")
# TRANSLATORS: as above, for a warning: the kiosk works, but an author should look at it.
P_WARNING = N_("{where}: warning: {message}")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    text: Message
    severity: Severity = Severity.ERROR
    urgent: bool = False  # listed before the others: a phone number nobody has confirmed

    def __post_init__(self) -> None:
        if not isinstance(self.text, Message):  # Problem(file, line, "plain English") as before
            object.__setattr__(self, "text", Message(str(self.text)))

    @property
    def message(self) -> str:
        """The message in English, without the file and line."""
        return self.text.render()

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def render(self, translate: Translate = english) -> str:
        template = P_ERROR if self.severity is Severity.ERROR else P_WARNING
        return render(template, {"where": self.where, "message": self.text}, translate)

    def __str__(self) -> str:
        return self.render()

    def sort_key(self) -> tuple[int, str, int, str]:
        return (0 if self.urgent else 1, self.file, self.line, self.text.msgid)

    def __lt__(self, other: Problem) -> bool:
        return (self.file, self.line, self.text.msgid) < (other.file, other.line, other.text.msgid)


def reading_order(problems: list[Problem]) -> list[Problem]:
    """Urgent first (phone numbers), then by file and line."""
    return sorted(problems, key=Problem.sort_key)


class Problems:
    """Collects every problem so an author sees them all at once, not one per run."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self.items: list[Problem] = []

    def _name(self, file: Path | str) -> str:
        path = Path(file)
        if self.root is not None:
            try:
                return path.relative_to(self.root).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    def error(self, file: Path | str, line: int, message: str | Message, /, **params: Any) -> None:
        self.items.append(Problem(self._name(file), line, _message(message, params), Severity.ERROR))

    def warning(self, file: Path | str, line: int, message: str | Message, /, urgent: bool = False,
                **params: Any) -> None:
        self.items.append(Problem(self._name(file), line, _message(message, params), Severity.WARNING, urgent))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]


def _message(message: str | Message, params: dict[str, Any]) -> Message:
    return message if isinstance(message, Message) else msg(message, **params)


@dataclass
class Coverage:
    """How many visitor texts exist in each language."""

    total: int = 0
    present: dict[str, int] = field(default_factory=dict)
    # per language: (file:line, what) of each text not written in it; `what` names the field
    missing: dict[str, list[tuple[str, Message]]] = field(default_factory=dict)


@dataclass
class LoadResult:
    content: Content | None
    problems: Problems
    coverage: Coverage

    @property
    def ok(self) -> bool:
        return self.content is not None
