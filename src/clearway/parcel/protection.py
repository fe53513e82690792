"""Field-level protection of personal data: names, telephone numbers, addresses and the codes themselves.

* **Encryption** — AES-256-GCM (authenticated, from the ``cryptography`` package) with a key derived by
  HKDF-SHA256 from the setting ``CLEARWAY_PERSONAL_DATA_KEY`` and a random 96-bit nonce per value; stored as
  ``v1.`` + URL-safe base64 of nonce + ciphertext + tag. A database copy without the key reads nothing, and an
  altered value fails to decrypt. With random nonces one key is good for 2^32 encryptions (NIST SP 800-38D
  §8.3); rotate it well before.
* **Blind index** — HMAC-SHA256 (a second key derived from the same setting) of a normalised value, so a code
  can be looked up, and one person recognised, without storing either in clear.

Changing the key makes stored values unreadable; rotating it needs a re-encryption job (not built).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from clearway.errors import ServiceUnavailable

VERSION = b"v1"
NONCE_BYTES = 12


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"clearway-personal-data", info=purpose).derive(
        secret.encode("utf-8")
    )


class PersonalDataCipher:
    def __init__(self, secret: str) -> None:
        if len(secret) < 16:
            raise ValueError("the personal-data key must be at least 16 characters")
        self._aead = AESGCM(_derive(secret, b"encrypt"))
        self._mac_key = _derive(secret, b"blind-index")

    def encrypt(self, text: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, text.encode("utf-8"), VERSION)
        return VERSION.decode() + "." + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            version, _, body = token.partition(".")
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
            if version != VERSION.decode():
                raise InvalidTag
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], VERSION).decode("utf-8")
        except (InvalidTag, binascii.Error, ValueError):
            raise ServiceUnavailable(
                "stored personal data cannot be decrypted with the configured key "
                "(CLEARWAY_PERSONAL_DATA_KEY changed?)"
            ) from None

    def index(self, kind: str, value: str) -> str:
        """The blind index of a normalised value; ``kind`` keeps indexes of different fields apart."""
        return hmac.new(self._mac_key, f"{kind}\0{value}".encode(), hashlib.sha256).hexdigest()


@cache
def cipher_for(secret: str) -> PersonalDataCipher:
    return PersonalDataCipher(secret)
