"""Min side: the citizen's own door. Every page opens the logged-in citizen's own record through the gate (the relation
"the citizen themself") and writes its read to the audit log, marked as the citizen's; every change goes through the
same use case as when staff make it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from traedesten.accounts.models import AuditAction, Department, User
from traedesten.core.locking import VersionConflict
from traedesten.gate import Action, Clearance, Section, clearance, record_read
from traedesten.gate.vocabulary import PLAN_SECTIONS
from traedesten.measures import services as measures
from traedesten.measures.forms import parse_values, vas_lines
from traedesten.measures.models import Instrument, Rater
from traedesten.people.models import Consent, DataRequest, Person
from traedesten.plans.models import Plan
from traedesten.plans.services import current_content
from traedesten.records import documents
from traedesten.records.models import Letter as SentLetter
from traedesten.usecases import (
    measures as measure_cases,
    people as people_cases,
    plans as plan_cases,
    records as record_cases,
)

from . import facts, inbox, minlog
from .forms import ConsentForm, DataRequestForm
from .session import door

S = Section


def own(request, *sections: Section, action: Action = Action.READ) -> Clearance:
    """The logged-in citizen's own record, opened for `sections`."""
    person = Person.objects.filter(pk=request.citizen.person_id).first()
    if person is None:
        raise PermissionDenied
    return clearance(request.citizen, person).require(*sections, action=action)


@door
@require_GET
def home(request):
    c = own(request, S.IDENTITY, S.COURSES, S.COMMUNITY)
    context = {"person": c.person, "contact": facts.contact_person(c.person),
               "meetings": facts.next_meetings(c.person, limit=3), "endings": facts.endings(c.person),
               "klippekort": facts.klippekort(c.person)}
    record_read(c, "min_side", [S.IDENTITY, S.COURSES, S.COMMUNITY])
    return render(request, "citizen/home.html", context)


def _responsible(action, workers: dict, departments: dict) -> str:
    if action.responsible == "citizen":
        return _("Dig")
    if action.responsible == "worker":
        return workers.get(action.worker_id) or action.responsible_name
    if action.responsible == "department":
        return departments.get(action.department, action.department)
    return action.responsible_name


@door
@require_GET
def plan(request):
    c = own(request, *PLAN_SECTIONS)
    plan = Plan.objects.filter(person=c.person).first()
    content = current_content(plan)
    goals = []
    if content is not None:
        ids = {a.worker_id for g in content.goals for a in g.actions if a.worker_id}
        workers = {u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=ids)}
        departments = dict(Department.objects.values_list("code", "name"))
        goals = [(g, [(a, _responsible(a, workers, departments)) for a in g.actions]) for g in content.active_goals]
    context = {"person": c.person, "plan": plan, "content": content, "goals": goals,
               "contact": facts.contact_person(c.person), "meetings": facts.next_meetings(c.person),
               "endings": facts.endings(c.person), "klippekort": facts.klippekort(c.person),
               "may_tick": c.can(S.GOALS, Action.WRITE)}
    record_read(c, "min_side_plan", [S.IDENTITY, *PLAN_SECTIONS, S.COURSES, S.COMMUNITY])
    return render(request, "citizen/plan.html", context)


def _int(value) -> int:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() else -1


@door
@require_POST
def tick(request):
    """Tick a stepping stone off (or back): a new plan version, the citizen's own, and a note to the coordinator."""
    c = own(request, S.GOALS, action=Action.WRITE)
    plan = Plan.objects.filter(person=c.person).first()
    if plan is None:
        raise Http404
    done = request.POST.get("done") == "1"
    try:
        changed = plan_cases.tick_stepping_stone(c, plan, goal_id=request.POST.get("goal", ""),
                                                 stone_id=request.POST.get("stone", ""), done=done,
                                                 expected_version=_int(request.POST.get("version")))
    except VersionConflict:
        messages.error(request, _("Din plan er lige blevet ændret. Se den nye udgave og prøv igen."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if changed is not None:
            messages.success(request, _("Godt gået! Trædestenen er markeret som nået, og din kontaktperson får besked.")
                             if done else _("Trædestenen er sat tilbage til »i gang«. Din kontaktperson får besked."))
    return redirect("citizen:plan")


@door
@require_GET
def scores(request):
    c = own(request, S.MEASURES)
    home = measures.home_instruments()
    codes = set(c.person.administrations.values_list("instrument__code", flat=True)) | {i.code for i in home}
    rows = []
    for instrument in Instrument.objects.filter(code__in=codes, active=True).order_by("code"):
        traj = measures.trajectory(c.person, instrument)
        points = [(p.administration.on, facts.plain_number(p.total), p.administration.at_home) for p in traj.points]
        rows.append({"instrument": instrument, "plain": facts.in_plain_words(traj), "points": points[::-1],
                     "may_score": instrument in home})
    record_read(c, "min_side_scores", [S.IDENTITY, S.MEASURES])
    return render(request, "citizen/scores.html", {"person": c.person, "rows": rows})


@door
def score_home(request, code: str):
    """Score at home before a session: the kiosk's lines, the kiosk's rules, marked as given at home."""
    c = own(request, S.MEASURES)
    instrument = next((i for i in measures.home_instruments() if i.code == code), None)
    if instrument is None:
        raise Http404
    defn = instrument.current.parsed
    error = None
    if request.method == "POST":
        try:
            c = own(request, S.MEASURES, action=Action.WRITE)
            measure_cases.score_at_home(c, instrument, parse_values(request.POST, defn))
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Tak. Din vurdering er gemt som givet hjemmefra. Din kontaktperson kan se den "
                                        "før jeres næste samtale."))
            return redirect("citizen:scores")
    previous = measures.previous_items(c.person, instrument, Rater.CITIZEN)
    record_read(c, "min_side_score_form", [S.IDENTITY, S.MEASURES], extra=[instrument.code])
    return render(request, "citizen/score_home.html", {
        "person": c.person, "instrument": instrument, "defn": defn, "error": error, "has_previous": bool(previous),
        "lines": vas_lines(defn, previous, request.POST if request.method == "POST" else None)})


@door
def consents(request):
    """Every consent, in force or not; give a new one to a named department for named parts."""
    c = own(request, S.CONSENT)
    form = ConsentForm(request.POST or None)
    if request.method == "POST":
        c = own(request, S.CONSENT, action=Action.WRITE)
        if form.is_valid():
            d = form.cleaned_data
            try:
                people_cases.give_consent(c, recipient=d["recipient"], scope=d["scope"], purpose=d["purpose"],
                                          expires_on=d["expires_on"])
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(request, _("Dit samtykke til %(dept)s gælder fra nu.") % {"dept": d["recipient"]})
                return redirect("citizen:consents")
    given = list(Consent.objects.filter(person=c.person).select_related("recipient"))
    record_read(c, "min_side_consents", [S.IDENTITY, S.CONSENT])
    return render(request, "citizen/consents.html", {
        "person": c.person, "form": form, "in_force": [x for x in given if x.in_force()],
        "ended": [x for x in given if not x.in_force()]})


@door
@require_POST
def consent_withdraw(request, consent_id: int):
    c = own(request, S.CONSENT, action=Action.WRITE)
    consent = get_object_or_404(Consent.objects.select_related("recipient"), pk=consent_id, person=c.person)
    try:
        people_cases.withdraw_consent(c, consent)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Dit samtykke til %(dept)s er trukket tilbage. De kan ikke længere se det, du "
                                    "havde delt.") % {"dept": consent.recipient_name})
    return redirect("citizen:consents")


@door
@require_GET
def log(request):
    c = own(request, S.ACCESS_LOG)
    look_ups = minlog.look_ups(c.person)
    record_read(c, "min_side_log", [S.IDENTITY, S.ACCESS_LOG])
    return render(request, "citizen/log.html", {"person": c.person, "look_ups": look_ups,
                                                "names": minlog.shows_names()})


@door
@require_GET
def letters(request):
    c = own(request, S.IDENTITY, S.COURSES, S.LETTERS)
    context = {"person": c.person, "letters": inbox.letters(c.person), "surveys": inbox.surveys(c.person),
               "letters_connected": bool(inbox.letter_sources())}
    record_read(c, "min_side_letters", [S.IDENTITY, S.COURSES, S.LETTERS])
    return render(request, "citizen/letters.html", context)


@door
@require_GET
def letter(request, letter_id: int):
    """A letter the municipality sent the citizen, as it was sent (the PDF, shown in the browser)."""
    c = own(request, S.LETTERS)
    sent = get_object_or_404(SentLetter.objects.select_related("document"), pk=letter_id, person=c.person)
    try:
        data = record_cases.open_letter(c, sent)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("citizen:letters")
    record_read(c, "min_side_letter", [S.LETTERS], extra=[f"letter:{sent.pk}"], action=AuditAction.EXPORT)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, documents.download_name(sent.document)) or "inline"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@door
def my_data(request):
    """Ask for a copy of everything (GDPR art. 15) or a correction (art. 16); see how far each request has come."""
    c = own(request, S.IDENTITY)
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people_cases.request_data(c, form.cleaned_data["kind"], form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("Tak. Vi har fået din anmodning og svarer senest om en måned."))
            return redirect("citizen:my_data")
    requests = DataRequest.objects.filter(person=c.person).order_by("-received_at")
    record_read(c, "min_side_data", [S.IDENTITY])
    return render(request, "citizen/my_data.html", {"person": c.person, "form": form, "requests": requests,
                                                    "kinds": DataRequest.Kind})
