"""The minisign format: keys, detached signatures and trusted comments (https://jedisct1.github.io/minisign/).

Files written here are read by the `minisign` tool and the other way round (tests/test_minisign.py
runs the real tool both ways). The crypto is PyNaCl (libsodium, the library minisign itself is
built on): Ed25519 and the same scrypt function with the same (opslimit, memlimit) parameters,
so a passphrase-protected secret key decrypts exactly as minisign decrypts it.

    public key   base64("Ed" | key id (8) | Ed25519 public key (32))
    signature    base64(algorithm (2) | key id (8) | Ed25519 signature (64))
                 algorithm "ED": the signature is over BLAKE2b-512(file) (minisign >= 0.8 default);
                 "Ed": over the file itself (legacy; refused above LEGACY_LIMIT, it needs the
                 whole file in memory)
    trusted comment, and a global signature over (signature (64) | trusted comment)
    secret key   "Ed" | kdf ("Sc" scrypt or 00 00 none) | "B2" | salt (32) | opslimit (u64 LE)
                 | memlimit (u64 LE) | XOR(scrypt stream, key id (8) | secret key (64) | checksum (32))
                 checksum = BLAKE2b-256("Ed" | key id | secret key)

Nothing here looks at the clock: a signature is good or not whatever the date.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SIG_ALG = b"Ed"
PREHASHED = b"ED"
KDF_SCRYPT = b"Sc"
KDF_NONE = b"\x00\x00"
CHK_ALG = b"B2"
# libsodium's crypto_pwhash_scryptsalsa208sha256_*_SENSITIVE, minisign's defaults (1 GiB of memory).
OPSLIMIT_SENSITIVE = 33554432
MEMLIMIT_SENSITIVE = 1073741824
LEGACY_LIMIT = 64 * 1024 * 1024
MAX_SIGNATURE_FILE = 8192
_CHUNK = 1 << 20


class MinisignError(Exception):
    """`kind` says what went wrong for callers that explain it to people: 'malformed',
    'untrusted', 'bad-signature', 'passphrase', 'too-big'."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise MinisignError("malformed", f"the {what} is not valid base64") from None


def _key_id_hex(key_id: bytes) -> str:
    return key_id[::-1].hex().upper()  # as minisign prints it: the id as a little-endian number


@dataclass(frozen=True)
class PublicKey:
    key_id: bytes
    key: bytes

    @property
    def id_hex(self) -> str:
        return _key_id_hex(self.key_id)

    @classmethod
    def from_base64(cls, text: str) -> PublicKey:
        raw = _b64(text, "public key")
        if len(raw) != 42 or raw[:2] != SIG_ALG:
            raise MinisignError("malformed", "this is not a minisign public key")
        return cls(raw[2:10], raw[10:])

    @classmethod
    def from_text(cls, text: str) -> PublicKey:
        """The contents of a .pub file (two lines) or the bare base64 line, as in settings."""
        lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
        if not lines:
            raise MinisignError("malformed", "the public key is empty")
        return cls.from_base64(lines[-1] if lines[0].startswith("untrusted comment:") else lines[0])

    @classmethod
    def from_file(cls, path: Path) -> PublicKey:
        try:
            data = path.read_bytes()[:4096].decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise MinisignError("malformed", f"cannot read the public key {path}: {exc}") from None
        return cls.from_text(data)

    def to_base64(self) -> str:
        return base64.b64encode(SIG_ALG + self.key_id + self.key).decode("ascii")

    def to_text(self) -> str:
        return f"untrusted comment: minisign public key {self.id_hex}\n{self.to_base64()}\n"


@dataclass(frozen=True)
class SecretKey:
    key_id: bytes
    secret: bytes  # libsodium's 64-byte form: seed | public key

    @property
    def public(self) -> PublicKey:
        return PublicKey(self.key_id, self.secret[32:])

    @classmethod
    def generate(cls) -> SecretKey:
        from nacl.signing import SigningKey

        signing = SigningKey.generate()
        return cls(os.urandom(8), bytes(signing) + bytes(signing.verify_key))

    def to_text(self, passphrase: str | None, opslimit: int = OPSLIMIT_SENSITIVE,
                memlimit: int = MEMLIMIT_SENSITIVE) -> str:
        """The .key file. `passphrase=None` writes an unprotected key, as `minisign -G -W`."""
        checksum = _checksum(self.key_id, self.secret)
        plain = self.key_id + self.secret + checksum
        if passphrase is None:
            head = SIG_ALG + KDF_NONE + CHK_ALG + bytes(32) + struct.pack("<QQ", 0, 0)
            body = plain
        else:
            salt = os.urandom(32)
            stream = _scrypt(passphrase, salt, opslimit, memlimit, len(plain))
            head = SIG_ALG + KDF_SCRYPT + CHK_ALG + salt + struct.pack("<QQ", opslimit, memlimit)
            body = bytes(a ^ b for a, b in zip(plain, stream, strict=True))
        encoded = base64.b64encode(head + body).decode("ascii")
        return f"untrusted comment: minisign encrypted secret key\n{encoded}\n"

    @classmethod
    def from_text(cls, text: str, passphrase: str | None = None) -> SecretKey:
        lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
        if len(lines) < 2 or not lines[0].startswith("untrusted comment:"):
            raise MinisignError("malformed", "this is not a minisign secret key")
        raw = _b64(lines[1], "secret key")
        if len(raw) != 158 or raw[:2] != SIG_ALG or raw[4:6] != CHK_ALG:
            raise MinisignError("malformed", "this is not a minisign secret key")
        kdf, salt, body = raw[2:4], raw[6:38], raw[54:]
        opslimit, memlimit = struct.unpack("<QQ", raw[38:54])
        if kdf == KDF_SCRYPT:
            if passphrase is None:
                raise MinisignError("passphrase", "this secret key is protected by a passphrase")
            stream = _scrypt(passphrase, salt, opslimit, memlimit, len(body))
            body = bytes(a ^ b for a, b in zip(body, stream, strict=True))
        elif kdf != KDF_NONE:
            raise MinisignError("malformed", "unknown key derivation in the secret key")
        key_id, secret, checksum = body[:8], body[8:72], body[72:]
        # minisign 0.11 leaves the checksum of an unprotected key at zero.
        if checksum != _checksum(key_id, secret) and not (kdf == KDF_NONE and checksum == bytes(32)):
            if kdf == KDF_SCRYPT:
                raise MinisignError("passphrase", "wrong passphrase for this secret key")
            raise MinisignError("malformed", "the secret key is damaged (its checksum does not match)")
        return cls(key_id, secret)

    @classmethod
    def from_file(cls, path: Path, passphrase: str | None = None) -> SecretKey:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise MinisignError("malformed", f"cannot read the secret key {path}: {exc}") from None
        return cls.from_text(text, passphrase)


def secret_key_is_protected(text: str) -> bool:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    try:
        return len(lines) >= 2 and _b64(lines[1], "secret key")[2:4] == KDF_SCRYPT
    except MinisignError:
        return False


def _checksum(key_id: bytes, secret: bytes) -> bytes:
    return hashlib.blake2b(SIG_ALG + key_id + secret, digest_size=32).digest()


def _scrypt(passphrase: str, salt: bytes, opslimit: int, memlimit: int, size: int) -> bytes:
    from nacl.exceptions import CryptoError
    from nacl.pwhash import scrypt

    try:
        return bytes(scrypt.kdf(size, passphrase.encode("utf-8"), salt, opslimit=opslimit, memlimit=memlimit))
    except (CryptoError, ValueError) as exc:
        raise MinisignError("malformed", f"cannot derive the key from the passphrase: {exc}") from None


@dataclass(frozen=True)
class Signature:
    algorithm: bytes
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes
    untrusted_comment: str = ""

    @property
    def key_id_hex(self) -> str:
        return _key_id_hex(self.key_id)

    @classmethod
    def from_text(cls, text: str) -> Signature:
        lines = text.splitlines()
        if len(lines) < 4 or not lines[0].startswith("untrusted comment:") \
                or not lines[2].startswith("trusted comment: "):
            raise MinisignError("malformed", "this is not a minisign signature")
        raw = _b64(lines[1], "signature")
        if len(raw) != 74 or raw[:2] not in (SIG_ALG, PREHASHED):
            raise MinisignError("malformed", "this is not a minisign signature")
        global_sig = _b64(lines[3], "global signature")
        if len(global_sig) != 64:
            raise MinisignError("malformed", "the signature's trusted comment is not signed")
        return cls(raw[:2], raw[2:10], raw[10:], lines[2][len("trusted comment: "):], global_sig,
                   lines[0][len("untrusted comment:"):].strip())

    @classmethod
    def from_file(cls, path: Path) -> Signature:
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_SIGNATURE_FILE + 1)
        except OSError as exc:
            raise MinisignError("missing", f"cannot read the signature {path}: {exc.strerror or exc}") from None
        if len(data) > MAX_SIGNATURE_FILE:
            raise MinisignError("malformed", "the signature file is far too big to be a minisign signature")
        try:
            return cls.from_text(data.decode("utf-8"))
        except UnicodeDecodeError:
            raise MinisignError("malformed", "this is not a minisign signature") from None

    def to_text(self) -> str:
        sig = base64.b64encode(self.algorithm + self.key_id + self.signature).decode("ascii")
        glob = base64.b64encode(self.global_signature).decode("ascii")
        return (f"untrusted comment: {self.untrusted_comment}\n{sig}\n"
                f"trusted comment: {self.trusted_comment}\n{glob}\n")


def blake2b_file(path: Path) -> bytes:
    digest = hashlib.blake2b(digest_size=64)
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.digest()


def sign_file(path: Path, key: SecretKey, trusted_comment: str | None = None,
              untrusted_comment: str = "signature from minisign secret key") -> Signature:
    """A prehashed ('ED') signature, as minisign >= 0.8 writes by default; streams the file."""
    from nacl.signing import SigningKey

    if "\n" in (trusted_comment or "") or "\r" in (trusted_comment or ""):
        raise ValueError("a trusted comment is one line")
    signing = SigningKey(key.secret[:32])
    if bytes(signing.verify_key) != key.secret[32:]:
        raise MinisignError("malformed", "the secret key is damaged")
    sig = signing.sign(blake2b_file(path)).signature
    comment = trusted_comment if trusted_comment is not None else f"file:{path.name}\thashed"
    global_sig = signing.sign(sig + comment.encode("utf-8")).signature
    return Signature(PREHASHED, key.key_id, sig, comment, global_sig, untrusted_comment)


def verify_file(path: Path, signature: Signature, trusted: Iterable[PublicKey]) -> PublicKey:
    """The trusted key that made `signature` over the file at `path`; MinisignError otherwise."""
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    key = next((k for k in trusted if k.key_id == signature.key_id), None)
    if key is None:
        raise MinisignError("untrusted", f"signed by key {signature.key_id_hex}, which this kiosk does not trust")
    verifier = VerifyKey(key.key)
    if signature.algorithm == PREHASHED:
        message = blake2b_file(path)
    else:
        if path.stat().st_size > LEGACY_LIMIT:
            raise MinisignError("too-big", "a legacy (not prehashed) signature on a file this big; "
                                           "sign it again with minisign 0.8 or newer")
        message = path.read_bytes()
    try:
        verifier.verify(message, signature.signature)
        verifier.verify(signature.signature + signature.trusted_comment.encode("utf-8"),
                        signature.global_signature)
    except BadSignatureError:
        raise MinisignError("bad-signature", "the signature does not match the file") from None
    return key
