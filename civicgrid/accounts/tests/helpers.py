"""Small helpers shared by the accounts tests."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for `device`."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrol(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
