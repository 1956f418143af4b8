"""The gate for the web pages: open a citizen for some sections, send to the reason page when a reason would open it,
require a tool, and build the menu from the tools the user has."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from traedesten.accounts.http import AuthedRequest
from traedesten.people.models import Person

from .policy import Clearance, NeedsReason, clearance, require_tool, tools_of
from .vocabulary import Action, Section, Tool


def citizen(request: AuthedRequest, person_id: int, *sections: Section, action: Action = Action.READ) -> Clearance:
    """The citizen, opened for `sections`; raises NeedsReason or PermissionDenied otherwise."""
    person = get_object_or_404(Person, pk=person_id)
    return clearance(request.user, person).require(*sections, action=action)


def uses(*tools: Tool):
    """A view for users with at least one of the tools (the login comes first)."""
    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request: AuthedRequest, *args, **kwargs):
            require_tool(request.user, *tools)
            return view(request, *args, **kwargs)
        return wrapped
    return decorate


class NeedsReasonMiddleware:
    """A page that needs a stated reason sends the user to the reason form, and back afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, NeedsReason) or request.path.startswith("/api/"):
            return None
        url = reverse("accounts:outside_access", args=[exception.person_id])
        if getattr(request, "htmx", False):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)


MENU = [
    (Tool.FRONT_DESK, _("Indgangen"), "frontdoor:desk"),
    (Tool.WORKLIST, _("Arbejdsliste"), "courses:worklist"),
    (Tool.MY_CITIZENS, _("Mine borgere"), "courses:my_citizens"),
    (Tool.GROUPS, _("Hold"), "courses:groups"),
    (Tool.AUTHORITY_DESK, _("Myndighed"), "authority:desk"),
    (Tool.ORDERS, _("Bestillinger"), "authority:orders"),
    (Tool.CASE_CONFERENCE, _("Sagsdrøftelse"), "authority:desk"),
    (Tool.CITIZEN_SEARCH, _("Borgere"), "people:search"),
    (Tool.COMMUNITY_DIRECTORY, _("Fællesskaber"), "civil:directory"),
    (Tool.COORDINATION, _("Koordinering"), "civil:coordinator"),
    (Tool.VOLUNTEER_TASKS, _("Mine opgaver"), "civil:volunteer_home"),
    (Tool.MEASURE_RESULTS, _("Resultater"), "measures:results"),
    (Tool.KEY_FIGURES, _("Nøgletal"), "insights:report"),
    (Tool.KEY_FIGURES, _("Undersøgelser"), "insights:surveys"),
    (Tool.HOURS, _("Timer"), "courses:hours"),
    (Tool.CASELOAD_NORMS, _("Sagstal"), "courses:caseload_norms"),
    (Tool.MATCHING, _("Matchning"), "authority:matching_queue"),
    (Tool.COMPETENCES, _("Kompetencer"), "accounts:competences"),
    (Tool.ON_CALL, _("Vagten"), "oncall:home"),
    (Tool.ON_CALL_ROSTER, _("Vagten"), "oncall:home"),
    (Tool.ECONOMY, _("Økonomi"), "economy:business_case"),
    (Tool.ACCESS_REVIEW, _("Adgangskontrol"), "accounts:flagged"),
    (Tool.DATA_REQUESTS, _("Anmodninger"), "people:data_requests"),
    (Tool.ADMINISTRATION, _("Administration"), "admin:index"),
]


def navigation(request):
    """The menu: one entry per tool the user has, nothing kept per role."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    tools = tools_of(user)
    items, seen = [(_("Forside"), reverse("home"))], set()
    for tool, label, name in MENU:
        if tool in tools and name not in seen:  # the first tool that leads to a page names it
            seen.add(name)
            items.append((label, reverse(name)))
    return {"nav_items": items, "tools": {str(t) for t in tools}}


def redirect_to_reason(person_id: int):
    return redirect("accounts:outside_access", person_id=person_id)


