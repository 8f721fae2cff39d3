"""The kiosk's core, in rooms by domain; never imports Qt. Each room's `__init__` says what it owns
and what it never does, and exports the names the other layers use (the README's "How it is built"
draws the rooms and their arrows, docs/DEVELOPERS.md says why; pyproject.toml's import contracts hold them)."""
