"""Logging in and out of Min side. MitID through the configured OpenID Connect broker is the only way in."""

import logging

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.people.models import Person

from . import oidc, session

log = logging.getLogger(__name__)


def _callback_url(request) -> str:
    return request.build_absolute_uri(reverse("citizen:callback"))


def _page(request, *, error: str = "", expired: bool = False, status: int = 200):
    return render(request, "citizen/login.html", {"configured": oidc.broker() is not None, "error": error,
                                                  "expired": expired}, status=status)


@require_GET
def login(request):
    if session.principal(request)[0] is not None:
        return redirect("citizen:home")
    return _page(request)


@require_GET
def login_expired(request):
    return _page(request, expired=True)


@require_GET
def login_start(request):
    """Off to MitID: state, nonce and the PKCE verifier stay in the citizen session."""
    broker = oidc.broker()
    if broker is None:
        raise Http404
    try:
        return redirect(oidc.begin(broker, request.session, _callback_url(request)))
    except oidc.LoginFailed as exc:
        return _page(request, error=str(exc), status=503)


@require_GET
def callback(request):
    """Back from MitID: the broker's answer is checked, the CPR claim finds the person, a new session begins."""
    broker = oidc.broker()
    if broker is None:
        raise Http404
    try:
        cpr = oidc.finish(broker, request.session, request.GET, _callback_url(request))
    except oidc.LoginFailed as exc:
        log.info("Min side login refused: %s", exc.__cause__.__class__.__name__ if exc.__cause__ else "answer")
        return _page(request, error=str(exc), status=400)
    person = Person.objects.filter(cpr=cpr, merged_into__isnull=True).first()
    if person is None:
        log.info("Min side login: no citizen with the CPR number given by the broker")
        return _page(request, status=403, error=_(
            "Du er logget ind med MitID, men vi kan ikke finde dig i Trædesten. Har du været i kontakt med os, så "
            "ring til kommunen."))
    citizen = session.start(request, person.pk)
    audit.record(citizen, AuditAction.VIEW, person=person, section="min_side_login")
    return redirect("citizen:home")


@require_POST
def logout(request):
    session.end(request)
    messages.success(request, _("Du er logget ud af Min side."))
    return redirect("citizen:login")
