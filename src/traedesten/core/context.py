from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    caps = user.caps
    items = [(_("Forside"), reverse("home"))]
    if caps.sees_citizens and caps.edits_citizens:
        items.append((_("Indgangen"), reverse("frontdoor:desk")))
        items.append((_("Arbejdsliste"), reverse("courses:worklist")))
    if caps.sees_citizens:
        items.append((_("Hold"), reverse("courses:groups")))
    if user.role in ("authority", "manager"):
        items.append((_("Myndighed"), reverse("authority:desk")))
    if caps.sees_citizens:
        items.append((_("Borgere"), reverse("people:search")))
        items.append((_("Fællesskaber"), reverse("civil:directory")))
    if user.role in ("volunteer_coordinator", "manager"):
        items.append((_("Koordinering"), reverse("civil:coordinator")))
    if user.role == "volunteer":
        items.append((_("Mine opgaver"), reverse("civil:volunteer_home")))
    if caps.sees_aggregates or caps.edits_citizens:
        items.append((_("Resultater"), reverse("measures:results")))
    if caps.sees_aggregates:
        items.append((_("Nøgletal"), reverse("insights:report")))
        items.append((_("Undersøgelser"), reverse("insights:surveys")))
        items.append((_("Timer"), reverse("courses:hours")))
        items.append((_("Økonomi"), reverse("economy:business_case")))
    if caps.reviews_access:
        items.append((_("Adgangskontrol"), reverse("accounts:flagged")))
    if caps.manages_users:
        items.append((_("Administration"), reverse("admin:index")))
    return {"nav_items": items, "caps": caps}
