"""Reading YAML written by people, with line numbers and guards.

`yaml.safe_load` forgets where things were; authors need `file:line`. This loader keeps the
line of every mapping key and list item, refuses aliases (the "billion laughs" bomb and a
source of confusion for authors alike), caps file size and node count, and turns every
failure into a `YamlError` with a line and a plain message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 40


class YamlError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class YDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class YList(list):  # type: ignore[type-arg]
    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0
        self._depth = 0
        self.duplicates: list[tuple[int, str]] = []

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlError(
                event.start_mark.line + 1,
                "anchors and aliases (& and *) are not allowed; write the text out in full",
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise YamlError(self.peek_event().start_mark.line + 1, "the file has too many entries")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlError(self.peek_event().start_mark.line + 1, "the file is nested too deeply")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> YDict:
    result = YDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise YamlError(key_node.start_mark.line + 1, "this key cannot be used as a name") from None
        if key in result:
            loader.duplicates.append((key_node.start_mark.line + 1, str(key)))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> YList:
    result = YList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


class _AliasSeen(Exception):
    pass


_CBase: Any = getattr(yaml, "CSafeLoader", None)

if _CBase is not None:

    class _FastLoader(_CBase):  # type: ignore[misc, valid-type]
        """libyaml does the scanning, ten times faster than pure Python: content loads at start-up.

        It cannot be stopped at an alias while composing, so a node met twice (the only way an
        alias shows after composing) aborts, and the careful loader above says where and why.
        """

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self._seen: set[int] = set()
            self.duplicates: list[tuple[int, str]] = []

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            if id(node) in self._seen:
                raise _AliasSeen()
            self._seen.add(id(node))
            if len(self._seen) > MAX_NODES:
                raise _AliasSeen()
            return super().construct_object(node, deep=deep)

    _LOADERS: tuple[Any, ...] = (_FastLoader, _Loader)
else:  # pragma: no cover - PyYAML without libyaml
    _LOADERS = (_Loader,)

for _loader in _LOADERS:
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:omap", _construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:pairs", _construct_sequence)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); a bad byte is reported with its line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(
            line, "this line is not UTF-8 text; save the file as UTF-8 in your editor"
        ) from None


def parse(text: str) -> tuple[Any, list[tuple[int, str]]]:
    """Parse one YAML document; returns the data and the duplicated keys (line, key)."""
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise YamlError(line, "the file contains a NUL character; is it really a text file?")
    if len(_LOADERS) > 1:
        fast = _LOADERS[0](text)
        try:
            return fast.get_single_data(), fast.duplicates
        except (yaml.YAMLError, _AliasSeen, RecursionError, ValueError, TypeError, OverflowError, YamlError):
            pass  # the careful loader below finds the problem again and explains it
        finally:
            fast.dispose()
    return _parse_carefully(text)


def _parse_carefully(text: str) -> tuple[Any, list[tuple[int, str]]]:
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
        return data, loader.duplicates
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        if exc.context and "flow" in exc.context and exc.context_mark is not None \
                and "<stream end>" in (exc.problem or ""):
            raise YamlError(exc.context_mark.line + 1,
                            "a bracket [ or { is opened on this line and never closed") from None
        unclosed = _unclosed_quote(text, line)
        if unclosed:
            raise YamlError(unclosed, "a quote \" is opened on this line and never closed") from None
        raise YamlError(line, _plain(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlError(0, f"not valid YAML: {exc}") from None
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        raise YamlError(0, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()


def load_file(path: Path) -> tuple[Any, list[tuple[int, str]]]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlError(0, f"the file is {size // 1024} KiB; at most {MAX_FILE_BYTES // 1024} KiB")
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlError(0, f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise YamlError(0, f"the file is larger than {MAX_FILE_BYTES // 1024} KiB")
    return parse(decode(data))


def _unclosed_quote(text: str, error_line: int) -> int:
    """YAML lets a quoted text run over several lines, so a forgotten closing quote is only
    noticed lines later. Point at the line where a still-open quote was opened instead."""
    open_at = 0
    for number, line in enumerate(text.splitlines()[: max(0, error_line - 1)], start=1):
        stripped = line.rstrip()
        if open_at:
            if stripped.endswith('"') and not stripped.endswith('\\"'):
                open_at = 0
            continue
        _key, sep, value = stripped.partition(": ")
        value = value.strip() if sep else stripped.strip().removeprefix("- ")
        if value.startswith('"') and (len(value) == 1 or not value.endswith('"') or value.endswith('\\"')):
            open_at = number
    return open_at


def _plain(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    hints = {
        "found character '\\t' that cannot start any token": (
            "a TAB character; indent with spaces only"
        ),
        "mapping values are not allowed here": (
            "a colon ':' where YAML does not expect one; put the text in double quotes"
        ),
        "could not find expected ':'": "a line without 'name:'; check the indentation above",
        "found duplicate anchor": "anchors (&) are not allowed",
        "found undefined alias": "aliases (*) are not allowed",
    }
    for needle, hint in hints.items():
        if needle in problem:
            return hint
    if "found unexpected end of stream" in problem or "while scanning a quoted scalar" in str(
        exc.context or ""
    ):
        return "a quote is opened and never closed"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return f"the indentation does not line up ({problem})"
    return f"not valid YAML: {problem or exc}"
