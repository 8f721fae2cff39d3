"""The minisign format against the real `minisign` tool, both ways, and what is refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.packs.minisign import MinisignError, PublicKey, SecretKey, Signature, sign_file, verify_file
from tests.conftest import ROOT

# A cheap passphrase derivation for tests (minisign's own default needs 1 GiB of memory); the key
# file records the cost, so the real tool derives with the same figures.
CHEAP = {"opslimit": 1 << 20, "memlimit": 1 << 24}


@pytest.fixture
def minisign() -> str:
    from tests.conftest import need_tool

    need_tool("minisign", "minisign")
    return "minisign"


@pytest.fixture
def payload(tmp_path: Path) -> Path:
    path = tmp_path / "pack.kpack"
    path.write_bytes(b"content pack bytes\x00\xff" * 5000)
    return path


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), input=stdin, capture_output=True, text=True, timeout=60)


def test_a_key_made_by_minisign_signs_in_the_kiosk_and_minisign_verifies(minisign: str, tmp_path: Path,
                                                                         payload: Path) -> None:
    done = run(minisign, "-G", "-W", "-p", str(tmp_path / "ngo.pub"), "-s", str(tmp_path / "ngo.key"))
    assert done.returncode == 0, done.stderr
    key = SecretKey.from_file(tmp_path / "ngo.key")
    assert key.public == PublicKey.from_file(tmp_path / "ngo.pub")
    signature = sign_file(payload, key, "pack 7 of sana-sezim")
    (tmp_path / "pack.kpack.minisig").write_text(signature.to_text(), encoding="utf-8")
    done = run(minisign, "-V", "-p", str(tmp_path / "ngo.pub"), "-m", str(payload))
    assert done.returncode == 0, done.stderr
    assert "Trusted comment: pack 7 of sana-sezim" in done.stdout
    # and one byte changed is refused by the real tool too: the test can fail
    payload.write_bytes(payload.read_bytes()[:-1] + b"!")
    assert run(minisign, "-V", "-p", str(tmp_path / "ngo.pub"), "-m", str(payload)).returncode != 0


@pytest.mark.parametrize("legacy", [False, True], ids=["prehashed-ED", "legacy-Ed"])
def test_a_signature_made_by_minisign_verifies_in_the_kiosk(minisign: str, tmp_path: Path, payload: Path,
                                                            legacy: bool) -> None:
    key = SecretKey.generate()  # written by the kiosk, unprotected, read by minisign
    (tmp_path / "k.key").write_text(key.to_text(None), encoding="utf-8")
    done = run(minisign, "-S", *(["-l"] if legacy else []), "-s", str(tmp_path / "k.key"), "-m", str(payload),
               "-t", "signed by the real tool")
    assert done.returncode == 0, done.stderr
    signature = Signature.from_file(tmp_path / "pack.kpack.minisig")
    assert signature.algorithm == (b"Ed" if legacy else b"ED")
    assert verify_file(payload, signature, [key.public]) == key.public
    assert signature.trusted_comment == "signed by the real tool"
    with pytest.raises(MinisignError) as refused:
        verify_file(payload, signature, [SecretKey.generate().public])
    assert refused.value.kind == "untrusted"


def test_a_passphrase_protected_key_is_read_by_minisign_and_by_the_kiosk(minisign: str, tmp_path: Path,
                                                                       payload: Path) -> None:
    key = SecretKey.generate()
    (tmp_path / "k.key").write_text(key.to_text("correct horse", **CHEAP), encoding="utf-8")
    (tmp_path / "k.pub").write_text(key.public.to_text(), encoding="utf-8")
    assert run(minisign, "-S", "-s", str(tmp_path / "k.key"), "-m", str(payload),
               stdin="wrong horse\n").returncode != 0
    done = run(minisign, "-S", "-s", str(tmp_path / "k.key"), "-m", str(payload), stdin="correct horse\n")
    assert done.returncode == 0, done.stderr
    assert verify_file(payload, Signature.from_file(tmp_path / "pack.kpack.minisig"), [key.public])
    # the kiosk decrypts it too, signs, and minisign verifies
    again = SecretKey.from_file(tmp_path / "k.key", "correct horse")
    assert again == key
    (tmp_path / "pack.kpack.minisig").write_text(sign_file(payload, again).to_text(), encoding="utf-8")
    assert run(minisign, "-V", "-p", str(tmp_path / "k.pub"), "-m", str(payload)).returncode == 0
    with pytest.raises(MinisignError) as wrong:
        SecretKey.from_file(tmp_path / "k.key", "wrong horse")
    assert wrong.value.kind == "passphrase"


def test_keygen_and_sign_commands_make_files_minisign_accepts(minisign: str, tmp_path: Path, payload: Path) -> None:
    cmd = [sys.executable, "-m", "kiosk", "pack"]
    done = subprocess.run([*cmd, "keygen", "--secret", str(tmp_path / "ngo.key"), "--public", str(tmp_path / "ngo.pub"),
                           "--passphrase-stdin", "--kdf-opslimit", str(CHEAP["opslimit"]),
                           "--kdf-memlimit", str(CHEAP["memlimit"])],
                          input="pass phrase\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert SecretKey.from_file(tmp_path / "ngo.key", "pass phrase").public == PublicKey.from_file(tmp_path / "ngo.pub")
    done = run(minisign, "-S", "-s", str(tmp_path / "ngo.key"), "-m", str(payload), stdin="pass phrase\n")
    assert done.returncode == 0, done.stderr
    assert run(minisign, "-V", "-p", str(tmp_path / "ngo.pub"), "-m", str(payload)).returncode == 0


def test_tampering_is_refused(tmp_path: Path, payload: Path) -> None:
    key = SecretKey.generate()
    signature = sign_file(payload, key, "pack 3")
    assert verify_file(payload, signature, [key.public])
    # the trusted comment is signed too: changing it (say, to a higher pack number) breaks it
    forged = Signature(signature.algorithm, signature.key_id, signature.signature, "pack 99",
                       signature.global_signature)
    with pytest.raises(MinisignError) as refused:
        verify_file(payload, forged, [key.public])
    assert refused.value.kind == "bad-signature"
    payload.write_bytes(b"x" + payload.read_bytes()[1:])
    with pytest.raises(MinisignError) as refused:
        verify_file(payload, signature, [key.public])
    assert refused.value.kind == "bad-signature"
    for text in ("", "untrusted comment: x\nnot base64!!\ntrusted comment: y\nzzz\n",
                 signature.to_text().replace("trusted comment:", "comment:")):
        with pytest.raises(MinisignError) as refused:
            Signature.from_text(text)
        assert refused.value.kind == "malformed"
    with pytest.raises(MinisignError):
        PublicKey.from_text("RWQ" + "A" * 20)
