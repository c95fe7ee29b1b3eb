"""A local stand-in for a remote signing service (the protocol of danhgia/signatures/remote.py):
an HTTP server on 127.0.0.1 holding one signer's key issued by the test CA. It signs a digest
only when the confirmation equals its PIN, and counts what it signed."""

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.hazmat.primitives.serialization import pkcs12

from tests.signatures.ca import CertificateAuthority


@dataclass
class RemoteService:
    url: str
    signer_id: str
    pin: str
    signed: list[str] = field(default_factory=list)  # base64 digests signed


@contextmanager
def remote_service(ca: CertificateAuthority, signer_id: str, pin: str) -> Iterator[RemoteService]:
    blob = ca.issue_pkcs12(f"Remote {signer_id}", pin)
    key, certificate, chain = pkcs12.load_key_and_certificates(blob, pin.encode())
    assert isinstance(key, rsa.RSAPrivateKey) and certificate is not None
    der = serialization.Encoding.DER

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    state = RemoteService(url="", signer_id=signer_id, pin=pin)

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            query = parse_qs(urlparse(self.path).query)
            if urlparse(self.path).path != "/certificate" or query.get("signer") != [signer_id]:
                return self._answer(404, {"error": "unknown signer"})
            self._answer(
                200,
                {
                    "certificate": b64(certificate.public_bytes(der)),
                    "chain": [b64(item.public_bytes(der)) for item in chain],
                },
            )

        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.path != "/sign" or body["signer"] != signer_id:
                return self._answer(404, {"error": "unknown signer"})
            if body["confirmation"] != pin or body["algorithm"] != "sha256":
                return self._answer(403, {"error": "not confirmed"})
            digest = base64.b64decode(body["digest"])
            signature = key.sign(digest, padding.PKCS1v15(), Prehashed(hashes.SHA256()))
            state.signed.append(body["digest"])
            self._answer(200, {"signature": b64(signature)})

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
