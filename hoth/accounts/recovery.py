"""Recovery codes: the way in when the authenticator app is lost.

They are as good as a second factor, so they are kept the way passwords are:
only a salted SHA-256 of each is stored, never the code. Each code carries 80
random bits (16 characters of base 32, shown in groups of four), enough that
no one holding a copy of the database can work a code out from its hash, so
the hash can be a fast one and checking ten of them stays instantaneous.
"""

import hashlib
import hmac
import re
import secrets

ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0 or 1 to misread
LENGTH = 16
GROUP = 4


def new_code():
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(code[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise(typed):
    """What was typed, as stored: lower case without spaces or hyphens."""
    return re.sub(r"[\s-]", "", typed or "").lower()


def digest(salt, code):
    return hashlib.sha256(f"{salt}:{normalise(code)}".encode()).hexdigest()


def new_salt():
    return secrets.token_hex(16)


def matches(salt, stored_digest, typed):
    return hmac.compare_digest(stored_digest, digest(salt, typed))
