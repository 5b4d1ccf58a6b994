"""Recovery codes issued before 0002 were django-otp static tokens, kept in
plain text. Each becomes a hashed code of the user's new device, so that
nobody loses the codes they saved; the plain-text copies are deleted."""

import hashlib
import secrets

from django.db import migrations


def hash_codes(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    RecoveryCodes = apps.get_model("accounts", "RecoveryCodes")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    for old in StaticDevice.objects.all():
        device = RecoveryCodes.objects.create(user_id=old.user_id, name=old.name, confirmed=old.confirmed)
        for token in old.token_set.all():
            salt = secrets.token_hex(16)
            # As hoth.accounts.recovery.digest at the time of writing; kept here
            # so that the migration never changes if that module does.
            digest = hashlib.sha256(f"{salt}:{token.token.lower()}".encode()).hexdigest()
            RecoveryCode.objects.create(device=device, salt=salt, digest=digest)
        old.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_recovery_codes_kept_as_hashes"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(hash_codes, migrations.RunPython.noop)]
