from django.shortcuts import redirect

from .views import KIOSK_SESSION_KEY


class KioskLockMiddleware:
    """While a tablet is handed to a citizen, every staff page leads back to the citizen's scale."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.session.get(KIOSK_SESSION_KEY) if hasattr(request, "session") else None
        if token and not request.path.startswith(("/maaling/kiosk/", "/static/")):
            return redirect("measures:kiosk", token=token)
        return self.get_response(request)
