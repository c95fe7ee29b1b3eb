"""PAdES signatures of the documents that carry a decision (docs/signatures.md).

pyHanko imports cryptography's DSA key type, which cryptography announces as deprecated on
every start of the program; no key of ours is a DSA key, so that one notice is silenced
here, where the app is loaded, before any module of the app imports pyHanko."""

import warnings

from cryptography.utils import CryptographyDeprecationWarning

warnings.filterwarnings(
    "ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning
)
