"""Field-level encryption for sensitive free text.

Values are Fernet tokens (AES-128-CBC with HMAC-SHA256) under the keys in
settings.FIELD_ENCRYPTION_KEYS. The first key encrypts; every key decrypts, so
a new key can be put first and old values re-encrypted at leisure with
`manage.py rotate_field_keys`.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _fernet(keys):
    if not keys:
        raise ImproperlyConfigured("HOTH_FIELD_KEYS must hold at least one Fernet key")
    return MultiFernet([Fernet(k) for k in keys])


def fernet():
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text):
    if text in (None, ""):
        return text
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(stored):
    if not stored or not stored.startswith(PREFIX):
        return stored
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted field could not be decrypted: the key it was written with is not in HOTH_FIELD_KEYS"
        ) from exc


def rotate(stored):
    """Re-encrypt a stored value under the current first key."""
    if not stored or not stored.startswith(PREFIX):
        return encrypt(stored)
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """A TextField stored encrypted. It cannot be searched or ordered in SQL,
    which is the point: use it for narrative, not for names."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        return encrypt(super().get_prep_value(value))


def encrypted_fields():
    """(model, field name) for every encrypted field in the project."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field.name
