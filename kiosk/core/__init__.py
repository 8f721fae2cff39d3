"""The kiosk's core, in rooms by domain; never imports Qt. Each room's `__init__` says what it owns
and what it never does, and exports the names the other layers use (the README's design section
draws the rooms and their arrows; pyproject.toml's import contracts hold them)."""
