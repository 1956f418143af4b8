import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from traedesten.accounts import audit
from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import AuditAction
from traedesten.courses.models import GroupRun
from traedesten.gate import Action, Section, Tool, clearance, may_use, persons_reached, record_read
from traedesten.gate.web import citizen, uses
from traedesten.usecases import civil as cases, courses as course_cases

from . import services
from .forms import FollowUpForm, ImportForm, LocalOfferForm, MatchForm, SuggestForm, VolunteerForm
from .models import INTERESTS, Escort, LocalOffer, Match, Volunteer


@uses(Tool.COMMUNITY_DIRECTORY)
@require_GET
def directory(request: AuthedRequest):
    """Community offers, searchable and filterable; the coordinator keeps it up to date."""
    q = request.GET
    offers = services.search_offers(text=q.get("q", "").strip()[:100], kind=q.get("type", ""), interest=q.get("interesse", ""),
                                    postal_code=q.get("postnummer", "").strip()[:4], free_only=bool(q.get("ledige")))
    return render(request, "civil/directory.html", {
        "offers": offers, "kinds": LocalOffer.Kind.choices, "interests": INTERESTS, "q": q,
        "labels": dict(INTERESTS), "can_edit": may_use(request.user, Tool.COMMUNITY_EDIT)})


@uses(Tool.COMMUNITY_EDIT)
def offer_edit(request: AuthedRequest, offer_id: int | None = None):
    offer = get_object_or_404(LocalOffer, pk=offer_id) if offer_id else None
    form = LocalOfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.updated_at = timezone.now()
        saved.save()
        messages.success(request, _("Tilbuddet er gemt."))
        return redirect("civil:directory")
    return render(request, "civil/form.html", {"form": form, "title": _("Tilbud i fællesskabskataloget")})


@uses(Tool.COMMUNITY_EDIT)
def offer_import(request: AuthedRequest):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > services.MAX_CSV_BYTES:
                raise ValidationError(_("Filen er for stor (højst 1 MB)."))
            result = services.import_offers(upload.read(services.MAX_CSV_BYTES + 1))
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if not result.errors:
                messages.success(request, _("Importeret: %(c)s nye og %(u)s opdaterede tilbud.") % {
                    "c": result.created, "u": result.updated})
                return redirect("civil:directory")
    return render(request, "civil/import.html", {"form": form, "result": result})


@uses(Tool.VOLUNTEER_REGISTER)
@require_GET
def volunteers(request: AuthedRequest):
    rows = [(v, services.record_check_valid(v)) for v in Volunteer.objects.select_related("user")]
    return render(request, "civil/volunteers.html", {"rows": rows, "labels": dict(INTERESTS)})


@uses(Tool.VOLUNTEER_REGISTER)
def volunteer_edit(request: AuthedRequest, volunteer_id: int | None = None):
    volunteer = get_object_or_404(Volunteer, pk=volunteer_id) if volunteer_id else None
    form = VolunteerForm(request.POST or None, instance=volunteer)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Den frivillige er gemt."))
        return redirect("civil:volunteers")
    return render(request, "civil/form.html", {"form": form, "title": _("Frivillig")})


@login_required
def citizen_page(request: AuthedRequest, person_id: int):
    """Find a community for the citizen: suggestions by interests and area, a match, an escort, and the follow-up."""
    write = request.method == "POST"
    c = citizen(request, person_id, Section.COMMUNITY, action=Action.WRITE if write else Action.READ)
    person = c.person
    suggest = SuggestForm(request.GET or None, initial={"postal_code": person.postal_code})
    offers, helpers = [], []
    if suggest.is_valid():
        interests, area = suggest.cleaned_data["interests"], suggest.cleaned_data["postal_code"] or person.postal_code
        slots = suggest.cleaned_data["slots"]
        offers = services.suggest_offers(interests, area, slots=slots)
        helpers = services.suggest_volunteers(person, interests, area, slots=slots)
    form = MatchForm(request.POST or None)
    if write and form.is_valid():
        d = form.cleaned_data
        try:
            cases.make_match(c, offer=d["offer"], volunteer=d["volunteer"], meet_at=d["meet_at"],
                             meet_place=d["meet_place"], task=d["task"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Borgeren er matchet."))
            return redirect("civil:citizen", person_id=person.pk)
    matches = Match.objects.filter(person=person).select_related("offer").prefetch_related("escorts__volunteer")
    record_read(c, "civil", [Section.IDENTITY, Section.COMMUNITY])
    return render(request, "civil/citizen.html", {
        "person": person, "suggest": suggest, "offers": offers, "helpers": helpers, "form": form, "matches": matches,
        "follow_up": FollowUpForm(), "labels": dict(INTERESTS), "can_edit": Section.COMMUNITY in c.writable})


@login_required
@require_POST
def follow_up(request: AuthedRequest, escort_id: int):
    escort = get_object_or_404(Escort.objects.select_related("match__person", "volunteer"), pk=escort_id)
    c = clearance(request.user, escort.match.person)
    cases.require_follow_up(c, escort)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vælg om borgeren kom."))
    else:
        cases.follow_up_escort(c, escort, arrived=form.cleaned_data["arrived"], stayed=form.cleaned_data["stayed"],
                               note=form.cleaned_data["note"])
        messages.success(request, _("Opfølgningen er gemt."))
    if escort.volunteer.user_id == request.user.pk:
        return redirect("civil:volunteer_home")
    return redirect("civil:citizen", person_id=escort.match.person_id)


@uses(Tool.COORDINATION)
@require_GET
def coordinator(request: AuthedRequest):
    """The coordinator's list: kick-off meetings coming up and escorts waiting for follow-up, for the citizens the
    coordinator may see."""
    today = timezone.localdate()
    reached = persons_reached(request.user, Section.COMMUNITY)
    kickoffs = (Match.objects.filter(kickoff_on__gte=today - datetime.timedelta(days=7), person__in=reached)
                .select_related("person").order_by("kickoff_on"))
    waiting = (Escort.objects.filter(arrived__isnull=True, meet_at__lte=timezone.now(), match__person__in=reached)
               .select_related("match__person", "volunteer"))
    persons = {m.person_id for m in kickoffs} | {e.match.person_id for e in waiting}
    if persons:
        audit.record(request.user, AuditAction.VIEW, persons=persons, section="civil_coordinator",
                     fields=[Section.IDENTITY, Section.COMMUNITY])
    return render(request, "civil/coordinator.html", {"kickoffs": kickoffs, "waiting": waiting})


@uses(Tool.VOLUNTEER_TASKS)
@require_GET
def volunteer_home(request: AuthedRequest):
    """A volunteer sees only the first name, when and where to meet, and the task. Nothing else about the citizen."""
    volunteer = getattr(request.user, "volunteer", None)
    if volunteer is None:
        raise PermissionDenied
    escorts = Escort.objects.filter(volunteer=volunteer).select_related("match__person", "match__offer").order_by("-meet_at")
    tasks = [{"id": e.pk, "first_name": e.match.person.first_name or _("Borgeren"), "meet_at": e.meet_at,
              "meet_place": e.meet_place, "task": e.task, "offer": e.match.offer.name if e.match.offer else "",
              "arrived": e.arrived} for e in escorts]
    if tasks:
        audit.record(request.user, AuditAction.VIEW, persons={e.match.person_id for e in escorts}, section="volunteer_escorts",
                     fields=[Section.ESCORT])
    return render(request, "civil/volunteer_home.html", {"tasks": tasks, "follow_up": FollowUpForm()})


@uses(Tool.GROUP_CREATE)
def continue_group(request: AuthedRequest, group_id: int):
    """The group goes on after the course, run by volunteers. Only participants the user may enrol are offered."""
    group = course_cases.open_group(request.user, get_object_or_404(GroupRun.objects.select_related("offer"), pk=group_id))
    writable = course_cases.writable_participants(request.user, group, Section.COURSES)
    names = course_cases.participant_names(request.user, group)
    participants = [(c, names.get(c.person_id, "")) for c in course_cases.groups.participants(group)
                    if c.person_id in writable]
    helpers = Volunteer.objects.filter(status=Volunteer.Status.ACTIVE, user__isnull=False)
    error = None
    if request.method == "POST":
        try:
            start = datetime.datetime.fromisoformat(request.POST.get("start", "")).date()
            chosen = list(helpers.filter(pk__in=[int(v) for v in request.POST.getlist("volunteers") if v.isdigit()]))
            follow_on = course_cases.continue_group(
                request.user, group, start=start, volunteers=chosen,
                person_ids=[int(p) for p in request.POST.getlist("persons") if p.isdigit()])
        except ValueError:
            error = _("Skriv en gyldig startdato.")
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Holdet fortsætter med frivillige."))
            return redirect("courses:group", group_id=follow_on.pk)
    if participants:
        audit.record(request.user, AuditAction.VIEW, persons={c.person_id for c, _n in participants},
                     section="group_continue", fields=[Section.PARTICIPATION])
    return render(request, "civil/continue_group.html", {"group": group, "participants": participants, "helpers": helpers,
                                                        "error": error, "today": timezone.localdate()})
