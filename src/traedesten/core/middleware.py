from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    """Content-Security-Policy without unsafe-inline, no caching of any page (they carry personal data), and related
    headers. The API's Swagger page gets its own policy: its bundled styles are inline."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'self'; object-src 'none'"
    )
    DOCS_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        docs = request.path.startswith("/api/v1/docs")
        response.headers.setdefault("Content-Security-Policy", self.DOCS_POLICY if docs else self.POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        # Static files are served before this middleware; everything else may hold personal data, and the kiosk's
        # Back button must not bring a staff page back from the browser's cache.
        patch_cache_control(response, no_store=True, private=True)
        return response
