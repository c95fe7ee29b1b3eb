"""The at-rest protection of a signer's PKCS#12: Fernet with a key derived from SECRET_KEY.

The PKCS#12 is already encrypted with the person's own passphrase; this second layer means a
database dump without the server's SECRET_KEY holds nothing to attack offline. Rotating
SECRET_KEY makes stored credentials unreadable: they are uploaded again (docs/signatures.md).
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"danhgia signer credentials v1"


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(pkcs12: bytes) -> bytes:
    return _fernet().encrypt(pkcs12)


def unseal(sealed: bytes | memoryview) -> bytes:
    """The PKCS#12 back; raises ValueError when SECRET_KEY changed since it was sealed."""
    try:
        return _fernet().decrypt(bytes(sealed))
    except InvalidToken as error:
        raise ValueError("sealed with another SECRET_KEY") from error
