"""Encryption at rest for sensitive personal data, and keyed hashes to look it up.

Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`; MultiFernet so keys can be rotated: the first
key of XIANFENG_DATA_KEY encrypts, all decrypt. The look-up hash is HMAC-SHA256 under its own key
(XIANFENG_LOOKUP_KEY), so equal values are found without decrypting every row, and rotating the data
keys leaves every hash unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.DATA_KEYS])


@cache
def _hash_key() -> bytes:
    # Production requires XIANFENG_LOOKUP_KEY; a development install without one derives it from its
    # (public, development-only) data key.
    material = settings.LOOKUP_KEY.encode() or base64.urlsafe_b64decode(settings.DATA_KEYS[0].encode())
    return hmac.new(material, b"xianfeng-lookup-hash-v1", hashlib.sha256).digest()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: wrong XIANFENG_DATA_KEY or corrupted value") from exc


def lookup_hash(value: str) -> str:
    """Stable keyed hash of a normalized value (upper-cased, stripped)."""
    normalized = value.strip().upper().encode("utf-8")
    return hmac.new(_hash_key(), normalized, hashlib.sha256).hexdigest()


def reset_caches() -> None:
    """For tests that switch keys."""
    _fernet.cache_clear()
    _hash_key.cache_clear()
