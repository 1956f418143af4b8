"""The request a view gets behind the login."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthedRequest(HttpRequest):
    """A request that `login_required`, the gate's `uses` or the API's authentication has let through: its user is a
    Trædesten user. A type only: Django builds the request; a view that takes this type says the login comes first."""

    user: User
    htmx: HtmxDetails
