"""Password hashing: Argon2id with OWASP's parameters.

At month end a whole province logs in within hours, and the login is the dearest request:
Django's PBKDF2 (1,000,000 iterations) and its Argon2 defaults (100 MiB, 8 lanes) each cost
about 0.35–0.4 s of CPU a login on the benchmark machine, more than everything else a person
does that day (≈ 0.25 s). Argon2id with 19 MiB, 2 passes and 1 lane (OWASP Password Storage
Cheat Sheet) costs ≈ 60 ms, and being memory-hard it resists GPU cracking better than PBKDF2.
Existing PBKDF2 hashes keep working and are rehashed at the next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    algorithm = "argon2"  # same encoding as Django's: parameters are read from each hash
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
