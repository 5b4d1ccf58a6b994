"""The keys that make the audit log impossible to rebuild.

Two kinds, both kept outside the database (in the environment, or in
.local/dev-secrets.json on a developer's machine):

- **Audit keys** (`HOTH_AUDIT_KEYS`, `id:base64key,...`): each event's hash is an
  HMAC-SHA256 under one of them, and the event stores the key's id. The first
  key signs new events; every key listed verifies. Someone who can change the
  database but does not hold a key cannot recompute the chain after changing an
  event. Rotate by putting a new key first and keeping the old ones: history is
  never re-signed, old events keep verifying under their own key id.
- **The checkpoint key** (`HOTH_AUDIT_CHECKPOINT_KEY`, `id:base64privatekey`), an
  Ed25519 private key that signs checkpoints, with its public halves
  (`HOTH_AUDIT_CHECKPOINT_PUBLIC_KEYS`, `id:base64publickey,...`) for whoever
  verifies them. Only the machine that writes checkpoints needs the private key;
  verify_audit, an auditor's copy or a replica need only the public ones.

Plain Python, no Django: settings.py parses with it, and
`python -m hoth.audit.keys audit k1` or `python -m hoth.audit.keys checkpoint cp1`
prints a new key to put in the environment.
"""

import base64
import binascii
import re
import secrets
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

# Stored with every event (AuditEvent.key_id) and every checkpoint.
KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
# HMAC-SHA256 gains nothing from more than its block, and is weak with much less.
MIN_AUDIT_KEY_BYTES = 32
ED25519_KEY_BYTES = 32


class KeyProblem(ValueError):
    """A key setting that cannot be used, said in words an operator can act on."""


def _decode(text: str, what: str) -> bytes:
    text = text.strip()
    try:
        # Either base64 alphabet, padded or not.
        return base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise KeyProblem(f"{what} is not base64") from None


def _pairs(text: str | None, what: str) -> list[tuple[str, bytes]]:
    pairs: list[tuple[str, bytes]] = []
    for item in (part.strip() for part in (text or "").split(",")):
        if not item:
            continue
        key_id, colon, material = item.partition(":")
        key_id = key_id.strip()
        if not colon or not material.strip():
            raise KeyProblem(f"each {what} is written id:base64key; one has no id or no key")
        if not KEY_ID.match(key_id):
            raise KeyProblem(f"the {what} id {key_id!r} must be 1 to 32 letters, digits, '.', '_' or '-'")
        if key_id in dict(pairs):
            raise KeyProblem(f"the {what} id {key_id!r} is listed twice")
        pairs.append((key_id, _decode(material, f"the {what} {key_id!r}")))
    return pairs


def parse_audit_keys(text: str | None) -> dict[str, bytes]:
    """{key id: key bytes} in the order given: the first signs, all verify."""
    keys = dict(_pairs(text, "audit key"))
    if not keys:
        raise KeyProblem("at least one audit key is needed")
    for key_id, key in keys.items():
        if len(key) < MIN_AUDIT_KEY_BYTES:
            raise KeyProblem(f"the audit key {key_id!r} must be at least {MIN_AUDIT_KEY_BYTES} bytes")
    return keys


def parse_checkpoint_key(text: str | None) -> tuple[str, bytes] | None:
    """(key id, Ed25519 private key bytes), or None when not set."""
    if not (text or "").strip():
        return None
    pairs = _pairs(text, "checkpoint key")
    if len(pairs) != 1:
        raise KeyProblem("the checkpoint key is one id:base64key (the private key that signs)")
    key_id, raw = pairs[0]
    if len(raw) != ED25519_KEY_BYTES:
        raise KeyProblem(f"the checkpoint key {key_id!r} must be a {ED25519_KEY_BYTES}-byte Ed25519 private key")
    return key_id, raw


def parse_checkpoint_public_keys(text: str | None, signing_key: tuple[str, bytes] | None = None) -> dict[str, bytes]:
    """{key id: Ed25519 public key bytes}: those listed, and the signing key's own."""
    keys: dict[str, bytes] = {}
    for key_id, raw in _pairs(text, "checkpoint public key"):
        if len(raw) != ED25519_KEY_BYTES:
            raise KeyProblem(f"the checkpoint public key {key_id!r} must be a {ED25519_KEY_BYTES}-byte Ed25519 key")
        keys[key_id] = raw
    if signing_key is not None:
        key_id, raw = signing_key
        public = public_key_of(raw)
        if keys.setdefault(key_id, public) != public:
            raise KeyProblem(f"the checkpoint public key {key_id!r} does not belong to the checkpoint key {key_id!r}")
    return keys


def public_key_of(private_raw: bytes) -> bytes:
    private = Ed25519PrivateKey.from_private_bytes(private_raw)
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def sign(private_raw: bytes, message: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private_raw).sign(message)


def signature_holds(public_raw: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def new_audit_key(key_id: str) -> str:
    """`id:base64key`, ready for HOTH_AUDIT_KEYS."""
    return f"{key_id}:{_b64(secrets.token_bytes(MIN_AUDIT_KEY_BYTES))}"


def new_checkpoint_key(key_id: str) -> tuple[str, str]:
    """(private `id:base64key` for HOTH_AUDIT_CHECKPOINT_KEY, public `id:base64key`
    for HOTH_AUDIT_CHECKPOINT_PUBLIC_KEYS)."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return f"{key_id}:{_b64(raw)}", f"{key_id}:{_b64(public_key_of(raw))}"


def main(argv: list[str]) -> int:
    usage = "usage: python -m hoth.audit.keys audit KEY_ID | checkpoint KEY_ID"
    if len(argv) != 2 or argv[0] not in ("audit", "checkpoint") or not KEY_ID.match(argv[1]):
        print(usage, file=sys.stderr)
        return 2
    kind, key_id = argv
    if kind == "audit":
        print(f"Add to the front of HOTH_AUDIT_KEYS (keep the keys already there):\n{new_audit_key(key_id)}")
    else:
        private, public = new_checkpoint_key(key_id)
        print(f"HOTH_AUDIT_CHECKPOINT_KEY (only where checkpoints are written):\n{private}")
        print(f"Add to HOTH_AUDIT_CHECKPOINT_PUBLIC_KEYS (keep the keys already there):\n{public}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
