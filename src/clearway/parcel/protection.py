"""Field-level protection of personal data: names, telephone numbers, addresses and the codes themselves.

* **Encryption** — Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package) with a key derived
  by HKDF-SHA256 from the setting ``CLEARWAY_PERSONAL_DATA_KEY``. A database copy without the key reads nothing.
* **Blind index** — HMAC-SHA256 (a second key derived from the same setting) of a normalised value, so a code
  can be looked up, and one person recognised, without storing either in clear.

Changing the key makes stored values unreadable; rotating it needs a re-encryption job (not built).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from clearway.errors import ServiceUnavailable


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"clearway-personal-data",
                info=purpose).derive(secret.encode("utf-8"))


class PersonalDataCipher:
    def __init__(self, secret: str) -> None:
        if len(secret) < 16:
            raise ValueError("the personal-data key must be at least 16 characters")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret, b"encrypt")))
        self._mac_key = _derive(secret, b"blind-index")

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise ServiceUnavailable("stored personal data cannot be decrypted with the configured key "
                                     "(CLEARWAY_PERSONAL_DATA_KEY changed?)") from None

    def index(self, kind: str, value: str) -> str:
        """The blind index of a normalised value; ``kind`` keeps indexes of different fields apart."""
        return hmac.new(self._mac_key, f"{kind}\0{value}".encode(), hashlib.sha256).hexdigest()


@cache
def cipher_for(secret: str) -> PersonalDataCipher:
    return PersonalDataCipher(secret)
