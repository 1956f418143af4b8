"""The JSON API at /api/v1, published as OpenAPI at /api/v1/openapi.json."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import django_auth

from traedesten.accounts.api_auth import TokenAuth
from traedesten.authority.api import router as grants_router
from traedesten.core.locking import VersionConflict
from traedesten.courses.api import router as courses_router
from traedesten.frontdoor.api import router as contacts_router
from traedesten.interop.api import router as ffb_router
from traedesten.measures.api import router as measures_router
from traedesten.people.api import router as people_router
from traedesten.plans.api import router as plans_router


class DanishJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=DanishJSONRenderer(),
    title="Trædesten API",
    version="1",
    description="Trædesten's JSON API. Every call is subject to the same role, caseload and audit rules as the web pages.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)
api.add_router("/people", people_router)
api.add_router("/contacts", contacts_router)
api.add_router("/", courses_router)
api.add_router("/", measures_router)
api.add_router("/", plans_router)
api.add_router("/", ffb_router)
api.add_router("/", grants_router)


def _message(exc) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


@api.exception_handler(NinjaValidationError)
def invalid_input(request, exc):
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None, "message": e.get("msg", "")}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": "Ugyldige data.", "errors": errors}, status=422)


@api.exception_handler(VersionConflict)
def conflict(request, exc):
    return api.create_response(request, {"detail": _message(exc), "errors": [{"field": "version", "message": "conflict"}]},
                               status=409)


@api.exception_handler(ValidationError)
def domain_invalid(request, exc):
    return api.create_response(request, {"detail": _message(exc), "errors": []}, status=400)


@api.exception_handler(PermissionDenied)
def denied(request, exc):
    return api.create_response(request, {"detail": "Ingen adgang.", "errors": []}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Findes ikke.", "errors": []}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Log ind eller brug et API-token.", "errors": []}, status=401)
