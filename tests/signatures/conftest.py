from pathlib import Path
from typing import Any

import pytest

from tests.signatures.ca import CertificateAuthority, build_ca

PASSPHRASE = "mat-khau-ky-so-2026"


@pytest.fixture(scope="session")
def test_ca() -> CertificateAuthority:
    return build_ca()


@pytest.fixture
def trusted_ca(
    test_ca: CertificateAuthority, settings: Any, tmp_path: Path
) -> CertificateAuthority:
    """The test CA as the only trust root, and signed files kept under tmp_path."""
    root = tmp_path / "root.pem"
    root.write_bytes(test_ca.pem)
    settings.SIGNATURE_TRUST_ROOTS = [str(root)]
    settings.MEDIA_ROOT = tmp_path / "media"
    return test_ca
