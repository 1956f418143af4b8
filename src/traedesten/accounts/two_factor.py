"""Two-factor login with a TOTP app: optional for staff, required for the roles in SECOND_FACTOR_REQUIRED."""

from base64 import b32encode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import SECOND_FACTOR_REQUIRED

OPEN_PATHS = ("/log-ud/", "/log-ind/", "/i18n/", "/static/")


class RequireSecondFactorMiddleware:
    """After the password, a user with a confirmed device (and every administrator and data-protection officer)
    must give a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified() or request.path.startswith(OPEN_PATHS):
            return self.get_response(request)
        has_device = user_has_device(user, confirmed=True)
        if not (has_device or user.role in SECOND_FACTOR_REQUIRED):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "Log ind med din tofaktorkode først.", "errors": []}, status=401)
        target = reverse("accounts:otp_verify" if has_device else "accounts:otp_setup")
        if request.path != target:
            return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)


def setup_device(user) -> TOTPDevice:
    """The user's unconfirmed device, made fresh if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Autentificeringsapp", confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
