"""A remote signing service as a `Signer`: the key never leaves the service, danhgia sends it
only the digest of what is signed (docs/signatures.md, "Remote signing services").

The service speaks JSON over HTTPS:

- `GET  <base>/certificate?signer=<id>` → `{"certificate": <b64 DER>, "chain": [<b64 DER>...]}`
- `POST <base>/sign` with `{"signer": <id>, "algorithm": "sha256", "digest": <b64>,
  "confirmation": <what the person typed>}` → `{"signature": <b64 raw signature>}`; 403 when
  the person does not confirm, any other error status on failure.
"""

import base64
import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from asn1crypto import x509
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from danhgia.signatures.signers import SigningFailed, pades


def _call(url: str, timeout: float, body: dict[str, Any] | None = None) -> dict[str, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 (the URL is the configured service's)
        url, data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            answer: dict[str, Any] = json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise SigningFailed(f"remote signing service: {error}") from error
    return answer


class _RemoteKey(signers.Signer):
    """pyHanko's side: the CMS is built here, the raw signature comes from the service."""

    def __init__(self, base_url: str, signer_id: str, confirmation: str, timeout: float) -> None:
        self._base, self._id, self._confirmation, self._timeout = (
            base_url.rstrip("/"),
            signer_id,
            confirmation,
            timeout,
        )
        query = urllib.parse.urlencode({"signer": signer_id})
        answer = _call(f"{self._base}/certificate?{query}", timeout)
        try:
            certificate = x509.Certificate.load(base64.b64decode(answer["certificate"]))
            chain = [x509.Certificate.load(base64.b64decode(item)) for item in answer["chain"]]
        except (KeyError, TypeError, ValueError) as error:
            raise SigningFailed("remote signing service: bad certificate answer") from error
        super().__init__(
            signing_cert=certificate,
            cert_registry=SimpleCertificateStore.from_certs([certificate, *chain]),
        )

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:  # pyHanko sizes the signature first: no call, no confirmation asked
            assert self.signing_cert is not None
            return bytes(self.signing_cert.public_key.bit_size // 8)
        digest = hashlib.new(digest_algorithm, data).digest()
        answer = _call(
            f"{self._base}/sign",
            self._timeout,
            {
                "signer": self._id,
                "algorithm": digest_algorithm,
                "digest": base64.b64encode(digest).decode(),
                "confirmation": self._confirmation,
            },
        )
        try:
            return base64.b64decode(answer["signature"])
        except (KeyError, TypeError, ValueError) as error:
            raise SigningFailed("remote signing service: bad signature answer") from error


class RemoteSigner:
    """A `Signer` backed by the remote service at `base_url` for the signer `signer_id`;
    `confirmation` (the password or one-time code the person typed) goes with the digest.
    Raises SigningFailed when the service is unreachable, refuses or answers nonsense."""

    def __init__(
        self, base_url: str, signer_id: str, confirmation: str, timeout: float = 30.0
    ) -> None:
        self._key = _RemoteKey(base_url, signer_id, confirmation, timeout)

    @property
    def subject(self) -> str:
        certificate = self._key.signing_cert
        return str(certificate.subject.human_friendly) if certificate is not None else ""

    def sign(self, pdf: bytes, *, field_name: str, reason: str, location: str) -> bytes:
        return pades(self._key, pdf, field_name=field_name, reason=reason, location=location)
