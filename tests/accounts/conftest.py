import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def _no_code_throttling(settings):
    # django-otp makes a user wait 1, 2, 4... seconds after each wrong code. The
    # tests drive wrong codes back to back; the lockout limit is what they test.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code_for_device(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def wrong_code(user):
    """A well-formed code that is certainly not accepted now (nor in the
    neighbouring time steps the device tolerates)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    valid = set()
    for offset in range(-device.tolerance - 1, device.tolerance + 2):
        totp.drift = device.drift + offset
        valid.add(totp.token())
    code = 123456
    while code in valid:
        code += 1
    return f"{code:06d}"
