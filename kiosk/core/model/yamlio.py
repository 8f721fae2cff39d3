"""Reading YAML written by people, with line numbers and guards.

`yaml.safe_load` forgets where things were; authors need `file:line`. This loader keeps the
line of every mapping key and list item, refuses aliases (the "billion laughs" bomb and a
source of confusion for authors alike), caps file size and node count, and turns every
failure into a `YamlError` with a line and a plain message.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import yaml

from kiosk.core.model.i18n import N_
from kiosk.core.model.messages import Message, msg

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 20_000  # the largest file of the default pack has 914; 20,000 is a quiz of 300 questions
MAX_DEPTH = 40
# When libyaml finds a mistake, the pure-Python loader reads the file again to explain it in
# plain words. It is slow (about 30,000 entries a second), so it stops after this many and
# the mistake is reported as libyaml saw it: `kiosk check` answers in well under 2 s.
CAREFUL_NODES = 5_000
# A file longer than this is first read as a stream of events (no objects built; 50 times
# faster) for the limits above: 60,000 names would otherwise all be built before being refused.
SCAN_FIRST_CHARS = 64 * 1024


class YamlError(Exception):
    """`text` is the message as data (translated where it is shown); `message` is its English."""

    def __init__(self, line: int, message: str | Message, **params: object) -> None:
        self.text = message if isinstance(message, Message) else msg(message, **params)
        self.message = self.text.render()
        super().__init__(self.message)
        self.line = line


class YDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]
    # The text as written of each value YAML did not read as text (No, 2024-01-01, 0700), so that
    # a message can show the author what they typed, not what YAML made of it.
    raw: dict[Any, str] | None = None

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)

    def raw_of(self, key: Any) -> str | None:
        return self.raw.get(key) if self.raw else None


class YList(list):  # type: ignore[type-arg]
    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class _Budget(Exception):
    """The careful loader read CAREFUL_NODES entries without meeting the mistake."""


def _line_at(text: str, index: int) -> int:
    """The 1-based line of `text[index]`, counting line breaks as YAML does."""
    head = text[:index]
    return len(_BREAKS.findall(head)) + 1


_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_WHAT = {"timestamp": N_("a date"), "int": N_("a whole number"), "float": N_("a number"),
         "binary": N_("base64 data")}


def _bad_value(node: Any, exc: BaseException) -> YamlError:
    """A value YAML recognises by its shape but cannot read, such as the date 2026-02-30."""
    kind = str(node.tag).rsplit(":", 1)[-1]
    value = str(node.value)
    shown = value if len(value) <= 40 else value[:37] + "..."
    if kind == "timestamp":
        return YamlError(node.start_mark.line + 1, N_("'{value}' is not a real date; write it as 2026-11-29 "
                                                      "(year-month-day), or in quotes if it is text"), value=shown)
    what = msg(_WHAT[kind]) if kind in _WHAT else kind
    return YamlError(node.start_mark.line + 1,
                     N_("YAML tried to read '{value}' as {what} and could not; if it is text, write it in "
                        "double quotes"), value=shown, what=what)


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str, max_nodes: int = MAX_NODES) -> None:
        super().__init__(stream)
        self._nodes = 0
        self._depth = 0
        self._max_nodes = max_nodes
        self.duplicates: list[tuple[int, str]] = []

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.ScalarNode) and _SURROGATE.search(node.value):
            # libyaml refuses "\ud800"; so must this loader, or the text breaks where it is shown.
            raise YamlError(node.start_mark.line + 1, N_("an escape such as \\ud800 that is not a real "
                                                         "character; write the character itself"))
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise _bad_value(node, exc) from None

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise YamlError(event.start_mark.line + 1, ALIASES_REFUSED)
        self._nodes += 1
        if self._nodes > self._max_nodes:
            if self._max_nodes < MAX_NODES:
                raise _Budget()
            raise YamlError(self.peek_event().start_mark.line + 1,  # type: ignore[no-untyped-call]
                            TOO_MANY)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlError(self.peek_event().start_mark.line + 1,  # type: ignore[no-untyped-call]
                            TOO_DEEP)
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
            raise YamlError(key_node.start_mark.line + 1,
                            N_("this name is written as a list or a section, which YAML cannot use as a name; "
                               "write a plain word before the colon")) from None
        if key in result:
            loader.duplicates.append((key_node.start_mark.line + 1, str(key)))
        value = result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
        if not isinstance(value, (str, YDict, YList)) and value is not None and isinstance(value_node, yaml.ScalarNode):
            if result.raw is None:
                result.raw = {}
            result.raw[key] = value_node.value
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
                raise YamlError(node.start_mark.line + 1, TOO_MANY)
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, TypeError, OverflowError) as exc:
                raise _bad_value(node, exc) from None

    _LOADERS: tuple[Any, ...] = (_FastLoader, _Loader)
else:  # pragma: no cover - PyYAML without libyaml
    _LOADERS = (_Loader,)

for _loader in _LOADERS:
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:omap", _construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:pairs", _construct_sequence)


def _unprintable(code: int | str) -> Message:
    code = code if isinstance(code, int) else ord(code)
    return msg(N_("an invisible control character ({code}) that YAML does not allow; delete it, or type the "
                  "text again"), code=f"U+{code:04X}")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); a bad byte is reported with its line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start].decode("utf-8")
        line = _line_at(head, len(head))
        raise YamlError(
            line, N_("this line is not UTF-8 text; save the file as UTF-8 in your editor")
        ) from None


def parse(text: str) -> tuple[Any, list[tuple[int, str]]]:
    """Parse one YAML document; returns the data and the duplicated keys (line, key)."""
    if "\x00" in text:
        line = _line_at(text, text.index("\x00"))
        raise YamlError(line, N_("the file contains an invisible NUL character; is it really a text file? Save "
                                 "it again as plain text"))
    if len(_LOADERS) == 1:
        return _parse_carefully(text)
    if len(text) > SCAN_FIRST_CHARS:
        too_much = _scan_events(text)
        if too_much is not None:
            raise too_much
    fast: Any = None
    try:
        fast = _LOADERS[0](text)
        return fast.get_single_data(), fast.duplicates
    except _AliasSeen:
        raise _scan_events(text) or YamlError(1, ALIASES_REFUSED) from None
    except (yaml.MarkedYAMLError, RecursionError) as exc:
        seen = exc  # the careful loader below finds the problem again and explains it
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return _parse_carefully(text)
    finally:
        if fast is not None:
            fast.dispose()
    try:
        return _parse_carefully(text, CAREFUL_NODES)
    except _Budget:
        pass  # a big file, its mistake far down: say it as libyaml did, at its line
    if isinstance(seen, yaml.MarkedYAMLError) and seen.problem_mark is not None:
        mark = seen.problem_mark
        tab = text[mark.index:mark.index + 1] == "\t"
        raise YamlError(mark.line + 1, _TAB if tab else _plain(seen)) from None
    raise _scan_events(text) or YamlError(1, TOO_DEEP) from None


_TAB = N_("a TAB character; indent with spaces only")
ALIASES_REFUSED = N_("anchors and aliases (& and *) are not allowed; write the text out in full")
TOO_MANY = N_("the file has too many entries")
TOO_DEEP = N_("the file is nested too deeply")


def _scan_events(text: str) -> YamlError | None:
    """The first alias, too deep or too many entries, found by libyaml's parser alone: fast,
    as no nodes are built. The same rules, in the same order, as _Loader.compose_node."""
    loader = _CBase(text)
    depth = nodes = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent):
                return YamlError(line, ALIASES_REFUSED)
            nodes += 1
            if nodes > MAX_NODES:
                return YamlError(line, TOO_MANY)
            if depth + 1 > MAX_DEPTH:
                return YamlError(line, TOO_DEEP)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return None


def _parse_carefully(text: str, max_nodes: int = MAX_NODES) -> tuple[Any, list[tuple[int, str]]]:
    try:
        loader = _Loader(text, max_nodes)
    except yaml.reader.ReaderError as exc:  # PyYAML checks every character before it starts
        raise YamlError(_line_at(text, exc.position), _unprintable(exc.character)) from None
    try:
        data = loader.get_single_data()
        return data, loader.duplicates
    except (YamlError, _Budget):
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        if exc.context and "flow" in exc.context and exc.context_mark is not None \
                and "<stream end>" in (exc.problem or ""):
            raise YamlError(exc.context_mark.line + 1,
                            N_("a bracket [ or {{ is opened on this line and never closed; close it with ] or }}"))\
                from None
        unclosed = _unclosed_quote(text, line)
        if unclosed:
            raise YamlError(unclosed, N_("a quote \" is opened on this line and never closed; add the closing \""))\
                from None
        raise YamlError(line, _plain(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlError(0, NOT_YAML, detail=str(exc)) from None
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        raise YamlError(0, NOT_YAML, detail=str(exc)) from None
    finally:
        loader.dispose()


def load_file(path: Path) -> tuple[Any, list[tuple[int, str]]]:
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a pipe or a device would block or never end
            raise YamlError(0, N_("is not a regular file; content files are plain text files"))
        size = st.st_size
        if size > MAX_FILE_BYTES:
            raise YamlError(0, N_("the file is {size} KiB; at most {limit} KiB"), size=size // 1024,
                            limit=MAX_FILE_BYTES // 1024)
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlError(0, N_("cannot read the file: {reason}"), reason=exc.strerror or exc) from None
    if len(data) > MAX_FILE_BYTES:
        raise YamlError(0, N_("the file is larger than {limit} KiB"), limit=MAX_FILE_BYTES // 1024)
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


# TRANSLATORS: {detail} is the YAML reader's own words, in English.
NOT_YAML = N_("this is not valid YAML ({detail}); compare the line with the lines around it")


def _plain(exc: yaml.MarkedYAMLError) -> Message:
    problem = (exc.problem or "").strip()
    hints = {
        "found character '\\t' that cannot start any token": _TAB,
        "found a tab character": _TAB,  # libyaml's words
        "mapping values are not allowed": N_(
            "a colon ':' where YAML does not expect one; put the text in double quotes"
        ),
        "could not find expected ':'": N_("a line without 'name:'; check the indentation above"),
        "found duplicate anchor": N_("anchors (&) are not allowed"),
        "found undefined alias": N_("aliases (*) are not allowed"),
    }
    for needle, hint in hints.items():
        if needle in problem:
            return msg(hint)
    if "found unexpected end of stream" in problem or "while scanning a quoted scalar" in str(
        exc.context or ""
    ):
        return msg(N_("a quote is opened and never closed; add the closing quote"))
    if "expected <block end>" in problem or "did not find expected" in problem:
        return msg(N_("the indentation does not line up ({detail}); each line must start exactly under the "
                      "line it belongs to, with spaces"), detail=problem)
    return msg(NOT_YAML, detail=problem or str(exc))
