"""A room of the core exports its public names lazily (PEP 562): importing a room loads none of
its modules until a name is used, so `kiosk check`, `kiosk --help` and start-up load only what
they need, as they did when every module was imported by its own path."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module


def lazy_exports(
    room: str, modules: dict[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]], list[str]]:
    """`modules`: a module of the room -> the names it exports, separated by spaces.

    Returns the room's `__getattr__`, `__dir__` and `__all__`."""
    where = {name: module for module, names in modules.items() for name in names.split()}

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {room!r} has no attribute {name!r}")
        # Read from the module every time, never cached on the room: a name the module rebinds (a
        # test's monkeypatch) is seen at once, as when callers imported the module's file directly.
        return getattr(import_module(f"{room}.{module}"), name)

    def __dir__() -> list[str]:
        return sorted(where)

    return __getattr__, __dir__, sorted(where)
