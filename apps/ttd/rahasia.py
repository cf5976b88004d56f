"""The BSrE passphrase between the request and the signing worker.

The official types it once per batch. It is never written to the database, an outbox row, a
broker message or a log: the request encrypts it (Fernet, key derived with HKDF from
``SECRET_KEY`` and the batch id) and puts only the ciphertext in the cache (Redis) under a key
derived the same way, with a short TTL (``SIAKS_TTD_PASSPHRASE_TTL``). The outbox message names
the signature row; the worker derives key and cache entry from its batch id, decrypts in memory
and deletes the entry when the batch has no letter left to sign. A leaked database or broker
dump holds nothing; the cache holds ciphertext that expires within minutes."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.cache import cache


def _derive(batch_id, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=str(batch_id).encode(), info=purpose).derive(
        settings.SECRET_KEY.encode()
    )


def _cache_key(batch_id) -> str:
    return "ttd:pp:" + hashlib.sha256(_derive(batch_id, b"siaks-ttd-key")).hexdigest()[:32]


def simpan(batch_id, passphrase: str) -> None:
    token = Fernet(base64.urlsafe_b64encode(_derive(batch_id, b"siaks-ttd-fernet"))).encrypt(passphrase.encode())
    cache.set(_cache_key(batch_id), token, timeout=settings.SIAKS_TTD_PASSPHRASE_TTL)


def ambil(batch_id) -> str | None:
    token = cache.get(_cache_key(batch_id))
    if not token:
        return None
    try:
        return Fernet(base64.urlsafe_b64encode(_derive(batch_id, b"siaks-ttd-fernet"))).decrypt(token).decode()
    except InvalidToken:
        return None


def hapus(batch_id) -> None:
    cache.delete(_cache_key(batch_id))
