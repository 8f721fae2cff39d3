"""Problems found in content or settings, reported as `file:line: message`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.core.content import Content


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        return f"{where}: {prefix}{self.message}"


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

    def error(self, file: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(self._name(file), line, message, Severity.ERROR))

    def warning(self, file: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(self._name(file), line, message, Severity.WARNING))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]


@dataclass
class Coverage:
    """How many visitor texts exist in each language."""

    total: int = 0
    present: dict[str, int] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class LoadResult:
    content: Content | None
    problems: Problems
    coverage: Coverage

    @property
    def ok(self) -> bool:
        return self.content is not None
