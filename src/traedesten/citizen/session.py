"""The citizen's session: its own cookie, sent only under Min side's path, with a short idle timeout.

Staff pages never read the citizen's cookie and Min side never reads the staff cookie, so a citizen session has no
`request.user` anywhere and a staff session has no citizen on Min side. The citizen's identity is a CitizenPrincipal
kept in the citizen session, set only by the MitID callback (citizen/views.py) and checked on every request.
"""

import time
from functools import wraps

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from traedesten.accounts.principals import CitizenPrincipal

PERSON_KEY = "citizen_person_id"
LOGIN_AT_KEY = "citizen_login_at"
SEEN_AT_KEY = "citizen_seen_at"


def is_door(path: str) -> bool:
    return path.startswith(settings.TRAEDESTEN_CITIZEN_PATH)


def idle_seconds() -> int:
    return settings.TRAEDESTEN_CITIZEN_IDLE_MINUTES * 60


class SplitSessionMiddleware(SessionMiddleware):
    """Django's session middleware for staff pages; under Min side's path, the citizen's own cookie."""

    def process_request(self, request):
        if not is_door(request.path):
            return super().process_request(request)
        request.citizen_door = True
        request.session = self.SessionStore(request.COOKIES.get(settings.TRAEDESTEN_CITIZEN_SESSION_COOKIE))

    def process_response(self, request, response):
        if not getattr(request, "citizen_door", False):
            return super().process_response(request, response)
        session = getattr(request, "session", None)
        if session is None:
            return response
        name, path = settings.TRAEDESTEN_CITIZEN_SESSION_COOKIE, settings.TRAEDESTEN_CITIZEN_PATH
        if session.accessed:
            patch_vary_headers(response, ("Cookie",))
        if session.is_empty():
            if name in request.COOKIES:
                response.delete_cookie(name, path=path, samesite="Lax")
            return response
        if session.modified and response.status_code < 500:
            session.save()
            age = min(session.get_expiry_age(), idle_seconds())  # the browser forgets it once idle too long
            response.set_cookie(name, session.session_key, max_age=age, expires=http_date(time.time() + age),
                                path=path, secure=settings.SESSION_COOKIE_SECURE or None, httponly=True,
                                samesite="Lax")
        return response


def start(request, person_id: int) -> CitizenPrincipal:
    """A new citizen session for the person (a fresh key, so nothing from before the login carries over)."""
    request.session.flush()
    now = int(time.time())
    request.session[PERSON_KEY] = person_id
    request.session[LOGIN_AT_KEY] = now
    request.session[SEEN_AT_KEY] = now
    request.session.set_expiry(settings.TRAEDESTEN_CITIZEN_MAX_HOURS * 3600)  # the idle timeout is checked below
    return CitizenPrincipal(person_id)


def end(request) -> None:
    request.session.flush()


def principal(request) -> tuple[CitizenPrincipal | None, bool]:
    """The citizen of this request, and whether a session ran out (idle too long, or logged in too long ago)."""
    if not getattr(request, "citizen_door", False):
        return None, False
    person_id = request.session.get(PERSON_KEY)
    if not isinstance(person_id, int):
        return None, False
    now = int(time.time())
    seen, login_at = request.session.get(SEEN_AT_KEY, 0), request.session.get(LOGIN_AT_KEY, 0)
    if now - seen > idle_seconds() or now - login_at > settings.TRAEDESTEN_CITIZEN_MAX_HOURS * 3600:
        end(request)
        return None, True
    request.session[SEEN_AT_KEY] = now
    return CitizenPrincipal(person_id), False


def door(view):
    """A Min side page: only for a logged-in citizen, whose principal is `request.citizen`."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        citizen, expired = principal(request)
        if citizen is None:
            return redirect("citizen:login_expired" if expired else "citizen:login")
        request.citizen = citizen
        return view(request, *args, **kwargs)
    return wrapped
