"""Owns signed packs and which content is shown: minisign, build, verify, install, roll back, the inbox.
Never decides how a visit goes, and never writes statistics.
"""

from typing import TYPE_CHECKING

from kiosk.core._exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "inbox": "Inbox InboxResult",
        "library": "ContentChoice choose_content reload_content wanted_content",
        "minisign": "MEMLIMIT_SENSITIVE MinisignError OPSLIMIT_SENSITIVE PublicKey SecretKey secret_key_is_protected sign_file",
        "pack_state": "read_state",
        "packs": "FORMAT MANIFEST PackError SIG_SUFFIX W_ROLLED_BACK_BEFORE build_pack install read_manifest rollback safe_member_name trusted_keys verify_pack",
        "updates": "NothingFound Prepared Updates",
    },
)

if TYPE_CHECKING:  # the same names, for mypy (tests/test_rooms.py holds the two lists equal)
    from .inbox import Inbox as Inbox
    from .inbox import InboxResult as InboxResult
    from .library import ContentChoice as ContentChoice
    from .library import choose_content as choose_content
    from .library import reload_content as reload_content
    from .library import wanted_content as wanted_content
    from .minisign import MEMLIMIT_SENSITIVE as MEMLIMIT_SENSITIVE
    from .minisign import OPSLIMIT_SENSITIVE as OPSLIMIT_SENSITIVE
    from .minisign import MinisignError as MinisignError
    from .minisign import PublicKey as PublicKey
    from .minisign import SecretKey as SecretKey
    from .minisign import secret_key_is_protected as secret_key_is_protected
    from .minisign import sign_file as sign_file
    from .pack_state import read_state as read_state
    from .packs import FORMAT as FORMAT
    from .packs import MANIFEST as MANIFEST
    from .packs import SIG_SUFFIX as SIG_SUFFIX
    from .packs import W_ROLLED_BACK_BEFORE as W_ROLLED_BACK_BEFORE
    from .packs import PackError as PackError
    from .packs import build_pack as build_pack
    from .packs import install as install
    from .packs import read_manifest as read_manifest
    from .packs import rollback as rollback
    from .packs import safe_member_name as safe_member_name
    from .packs import trusted_keys as trusted_keys
    from .packs import verify_pack as verify_pack
    from .updates import NothingFound as NothingFound
    from .updates import Prepared as Prepared
    from .updates import Updates as Updates
