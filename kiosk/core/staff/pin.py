"""The staff PIN: a salted slow hash in the settings, and a lockout that survives a restart.

`kiosk set-pin` stores `hash_pin(pin)` as `Settings.staff_pin`, a single string
`scrypt$<n>$<r>$<p>$<salt base64>$<hash base64>`; the PIN itself is never written anywhere.
Five wrong PINs in a row lock staff mode for five minutes. The count and the end of the lock
live in `<data dir>/staff-lock.json`, written atomically, so switching the kiosk off and on
does not give a guesser five more tries.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

log = logging.getLogger(__name__)

# About 50 ms and 16 MiB on a small PC: nothing for one tap, slow for someone trying every PIN
# copied out of the settings file.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MAX_FAILURES = 5
LOCK_DURATION = dt.timedelta(minutes=5)
LOCK_FILE = "staff-lock.json"
PIN_DIGITS = (4, 12)
HOW_TO_SET = "run `kiosk set-pin` on this kiosk (it asks for the PIN twice) to set one"

_PIN = re.compile(rf"[0-9]{{{PIN_DIGITS[0]},{PIN_DIGITS[1]}}}")  # ASCII digits only: no Arabic-Indic or full-width


def valid_pin(pin: str) -> bool:
    return bool(_PIN.fullmatch(pin))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """A new salted hash of `pin`, as one string for the settings file."""
    if not valid_pin(pin):
        raise ValueError(f"a staff PIN is {PIN_DIGITS[0]} to {PIN_DIGITS[1]} digits")
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(pin, salt, n, r, p, HASH_BYTES)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=2 * 128 * n * r * p + 1024 * 1024)


@dataclass(frozen=True)
class _Parsed:
    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes


def _parse(stored: str) -> _Parsed | None:
    parts = stored.strip().split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return None
    # Bounds, so a hand-edited settings file cannot make one tap take minutes or gigabytes.
    if not (2 <= n <= 2**17 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 4
            and n * r * p <= 2**20 and len(salt) >= 8 and 16 <= len(digest) <= 64):
        return None
    return _Parsed(n, r, p, salt, digest)


def is_pin_hash(stored: str) -> bool:
    """True for a string written by hash_pin (and not, say, a PIN typed into the settings)."""
    return _parse(stored) is not None


def verify_pin(pin: str, stored: str) -> bool:
    """Whether `pin` matches the stored hash; the comparison takes the same time either way."""
    parsed = _parse(stored)
    if parsed is None or not valid_pin(pin):
        return False
    digest = _scrypt(pin, parsed.salt, parsed.n, parsed.r, parsed.p, len(parsed.digest))
    return hmac.compare_digest(digest, parsed.digest)


class PinCheck(str, Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"  # too many wrong PINs: wait `locked_for` seconds
    NOT_SET = "not_set"  # no PIN in the settings: staff mode is closed


@dataclass(frozen=True)
class PinResult:
    outcome: PinCheck
    tries_left: int = 0  # after WRONG: how many more before the lock
    locked_for: int = 0  # after LOCKED: whole seconds until the next try is allowed

    @property
    def ok(self) -> bool:
        return self.outcome is PinCheck.OK


@dataclass
class _LockState:
    failures: int = 0
    locked_until: dt.datetime | None = None


class StaffGate:
    """Decides whether a PIN typed on the staff PIN pad opens staff mode.

    `pin_hash` is `Settings.staff_pin`. The failure count is read from and written to the data
    folder on every try, so a new gate (after a restart) sees the same lock.
    """

    def __init__(self, data_dir: Path, pin_hash: str, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.path = Path(data_dir) / LOCK_FILE
        self.pin_hash = pin_hash
        self._clock = clock or dt.datetime.now
        self._memory = _LockState()  # used when the file cannot be read or written
        self._unsaved = False
        if not self.is_set:
            self._log_closed()

    @property
    def is_set(self) -> bool:
        """A usable PIN hash is configured: without one staff mode stays closed."""
        return is_pin_hash(self.pin_hash)

    def _log_closed(self) -> None:
        if self.pin_hash.strip():
            log.warning("staff mode is closed: staff_pin in the settings is not a PIN hash "
                        "(never write the PIN itself there); %s", HOW_TO_SET)
        else:
            log.warning("staff mode is closed: no staff PIN is set; %s", HOW_TO_SET)

    def _now(self) -> dt.datetime:
        now = self._clock()
        return now.astimezone().replace(tzinfo=None) if now.tzinfo is not None else now

    def locked_for(self) -> int:
        """Seconds until a PIN may be tried again; 0 when it may be tried now."""
        state = self._load()
        now = self._now()
        if state.locked_until is None or state.locked_until <= now:
            return 0
        return max(1, int((state.locked_until - now).total_seconds() + 0.999))

    def check(self, pin: str) -> PinResult:
        if not self.is_set:
            self._log_closed()
            return PinResult(PinCheck.NOT_SET)
        now = self._now()
        state = self._load()
        stored = state != _LockState()
        if state.locked_until is not None:
            if state.locked_until > now:
                # No hash is computed while locked: a locked gate tells nothing about the PIN.
                return PinResult(PinCheck.LOCKED, locked_for=self.locked_for())
            state = _LockState()  # the lock is over: five fresh tries
        if verify_pin(pin, self.pin_hash):
            if stored:
                self._save(_LockState())
            log.info("staff mode opened")
            return PinResult(PinCheck.OK)
        state.failures += 1
        if state.failures >= MAX_FAILURES:
            state.locked_until = now + LOCK_DURATION
            self._save(state)
            log.warning("staff mode locked for %d s after %d wrong PINs",
                        LOCK_DURATION.total_seconds(), state.failures)
            return PinResult(PinCheck.LOCKED, locked_for=int(LOCK_DURATION.total_seconds()))
        self._save(state)
        log.info("a wrong staff PIN (%d of %d)", state.failures, MAX_FAILURES)
        return PinResult(PinCheck.WRONG, tries_left=MAX_FAILURES - state.failures)

    def reset(self) -> None:
        """Forget wrong tries and any lock (a new PIN was just set)."""
        self._save(_LockState())

    # -- the small state file ---------------------------------------------------------------
    def _load(self) -> _LockState:
        if self._unsaved:
            # The file could not be written: it is stale, and must not undo a lock.
            state = _LockState(self._memory.failures, self._memory.locked_until)
        else:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                until = data.get("locked_until")
                state = _LockState(max(0, int(data.get("failures", 0))),
                                   dt.datetime.fromisoformat(until) if until else None)
            except FileNotFoundError:
                state = _LockState()
            except (OSError, ValueError, TypeError, AttributeError) as exc:
                from kiosk.core.model import D_STAFF_LOCK, report_damaged

                report_damaged(self.path, exc, D_STAFF_LOCK)  # logged, and listed on the Content tab
                state = _LockState(self._memory.failures, self._memory.locked_until)
        # A clock set back (or a hand-edited file) must not lock staff out for hours: the lock
        # is shortened to LOCK_DURATION from now, and written so, so that it then runs out.
        latest = self._now() + LOCK_DURATION
        if state.locked_until is not None and state.locked_until > latest:
            log.warning("the staff lock ran until %s, beyond %d s from now (was the clock set back?); "
                        "it now ends at %s", state.locked_until.isoformat(timespec="seconds"),
                        LOCK_DURATION.total_seconds(), latest.isoformat(timespec="seconds"))
            state.locked_until = latest
            self._save(state)
        return state

    def _save(self, state: _LockState) -> None:
        self._memory = _LockState(state.failures, state.locked_until)
        self._unsaved = True
        text = json.dumps({
            "failures": state.failures,
            "locked_until": state.locked_until.isoformat(timespec="seconds") if state.locked_until else None,
        })
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".staff-lock-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            self._unsaved = False
        except OSError as exc:
            log.warning("cannot write the staff lock file %s (%s); the lock holds until a restart",
                        self.path, exc)
