"""The password hasher: Argon2id with parameters chosen for the web machines (2 cores each).

Django's own `Argon2PasswordHasher` (argon2-cffi) with stated costs instead of its defaults
(time 2, memory 100 MiB, 8 lanes). Eight lanes make one login occupy eight threads on a
two-core machine, so a morning burst of logins starves every other request; one lane keeps a
login on one core, and 64 MiB of memory with two passes stays above OWASP's Argon2id minimum
(19 MiB, 2 passes, 1 lane) while a hash takes about 0.1 s of one core (README "Passwords").

The algorithm name stays "argon2", so every Argon2 hash verifies whatever costs it was made
with, and one made with other costs is rehashed with these at its next login (Django's
`must_update`); PBKDF2 hashes from before are upgraded the same way (settings.PASSWORD_HASHERS).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2  # passes over the memory
    memory_cost = 65536  # KiB: 64 MiB per hash while it runs
    parallelism = 1  # lanes (threads): one core per login
