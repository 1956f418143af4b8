from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from traedesten.accounts import audit
from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import AuditAction, Team
from traedesten.core import disclosure
from traedesten.core.forms import cap_reason
from traedesten.courses.models import Activity, Course, GroupRun, GroupSession, Offer
from traedesten.courses.services import SoftCapExceeded
from traedesten.gate import Action, Section, Tool, may_use, persons_reached, record_read
from traedesten.gate.web import citizen, uses
from traedesten.people.models import Person
from traedesten.usecases import measures as cases

from . import scoring, services, sessions
from .chart import trajectory_chart
from .forms import FitPracticeForm, FitSessionForm, StartForm, choices_for, item_rows, parse_values, vas_lines
from .models import Administration, Instrument, KioskSession, Rater, Schedule

KIOSK_HOURS = 2
KIOSK_SESSION_KEY = "kiosk_token"


@login_required
@require_GET
def person_page(request: AuthedRequest, person_id: int):
    """All of a citizen's measurements: latest score, trend and a button to measure again."""
    c = citizen(request, person_id, Section.MEASURES)
    person = c.person
    offers = set(Course.objects.filter(person=person, status=Course.Status.ACTIVE).values_list("offer_id", flat=True))
    instruments = list(Instrument.objects.filter(active=True).prefetch_related("offers"))
    schedules = dict(Schedule.objects.filter(person=person).values_list("instrument_id", "every_days"))
    rows = []
    for instrument in instruments:
        traj = services.trajectory(person, instrument)
        suggested = any(o.pk in offers for o in instrument.offers.all())
        rows.append((instrument, traj, trajectory_chart(traj) if len(traj.points) > 1 else None, suggested,
                     schedules.get(instrument.pk), traj.definition.frequency_days))
    rows.sort(key=lambda r: (not r[3], not r[1].points, r[0].name))
    record_read(c, "measures", [Section.IDENTITY, Section.MEASURES])
    return render(request, "measures/person.html", {"person": person, "rows": rows,
                                                     "can_edit": Section.MEASURES in c.writable})


@login_required
@require_POST
def schedule(request: AuthedRequest, person_id: int, code: str):
    c = citizen(request, person_id, Section.MEASURES, action=Action.WRITE)
    person = c.person
    raw = request.POST.get("every_days", "").strip()
    try:
        cases.set_schedule(c, _instrument(code), int(raw) if raw else None)
    except ValueError:
        messages.error(request, _("Skriv antal dage som et helt tal."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Målefrekvensen er gemt."))
    return redirect("measures:person", person_id=person.pk)


def _instrument(code: str) -> Instrument:
    return get_object_or_404(Instrument, code=code, active=True)


@login_required
def start(request: AuthedRequest, person_id: int, code: str):
    """The worker starts a measurement: hand the tablet to the citizen, or score together on this screen."""
    c = citizen(request, person_id, Section.MEASURES, action=Action.WRITE)
    person = c.person
    instrument = _instrument(code)
    defn = instrument.current.parsed
    form = StartForm(request.POST if request.method == "POST" else None, definition=defn, person=person)
    action = request.POST.get("action", "")
    error = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        common = {"on": d["on"], "rater": d["rater"], "course": d["course"], "rater_network": d.get("rater_network")}
        try:
            if action == "kiosk":
                kiosk = cases.open_kiosk(c, instrument.current, **common)
                request.session[KIOSK_SESSION_KEY] = kiosk.token
                return redirect("measures:kiosk", token=kiosk.token)
            if action == "decline":
                cases.decline(c, instrument, **common)
                messages.success(request, _("Det er noteret, at borgeren ikke ønskede at svare i dag."))
                return redirect("measures:person", person_id=person.pk)
            if defn.mode == "consensus":
                own = {} if request.POST.get("citizen_declined") else parse_values(request.POST, defn, "citizen")
                cases.administer(c, instrument, **common, citizen_values=own,
                                 worker_values=parse_values(request.POST, defn, "worker"),
                                 note=request.POST.get("note", ""), citizen_comment=request.POST.get("citizen_comment", ""))
            else:
                cases.administer(c, instrument, **common, values=parse_values(request.POST, defn),
                                 note=request.POST.get("note", ""), phase=d.get("phase", ""))
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Målingen er gemt."))
            return redirect("measures:trajectory", person_id=person.pk, code=instrument.code)
    prefixes = ("citizen", "worker") if defn.mode == "consensus" else ("item",)
    post = request.POST if request.method == "POST" else None
    record_read(c, "measure_form", [Section.IDENTITY, Section.MEASURES])
    return render(request, "measures/start.html", {
        "person": person, "instrument": instrument, "defn": defn, "form": form, "error": error,
        "rows": item_rows(defn, post, prefixes), "choices": choices_for(defn), "matrix": _matrix(defn, post),
        "previous": services.previous_items(person, instrument, Rater.CITIZEN),
    })


def _matrix(defn, post):
    if defn.mode != "matrix":
        return None
    return [(label, [(f"item-{area}.{dim}", (post or {}).get(f"item-{area}.{dim}", "")) for dim, _dl in defn.dimensions])
            for area, label in defn.areas]


def _open_kiosk(request: AuthedRequest, token: str) -> KioskSession:
    kiosk = KioskSession.objects.select_related("version", "person").filter(token=token).first()
    if (kiosk is None or kiosk.created_at < timezone.now() - timedelta(hours=KIOSK_HOURS)
            or kiosk.opened_by_id != request.user.pk or request.session.get(KIOSK_SESSION_KEY) != token):
        raise Http404
    return kiosk


@login_required
def kiosk(request: AuthedRequest, token: str):
    """What the citizen sees on the tablet: the lines to mark, nothing else."""
    session = _open_kiosk(request, token)
    instrument, defn = session.version.instrument, session.version.parsed
    if session.administration_id:
        return render(request, "measures/kiosk_done.html", {"session": session})
    error = None
    if request.method == "POST":
        common = {"on": timezone.localdate(), "rater": session.rater, "course": session.course,
                  "rater_network": session.rater_network, "activity": session.activity,
                  "group_session": session.group_session}
        try:
            c = citizen(request, session.person_id, Section.MEASURES, action=Action.WRITE)
            if request.POST.get("action") == "decline":
                administration = cases.decline(c, instrument, **common)
            else:
                administration = cases.administer(c, instrument, **common, values=parse_values(request.POST, defn))
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            KioskSession.objects.filter(pk=session.pk).update(administration=administration)
            return redirect("measures:kiosk", token=token)
    previous = services.previous_items(session.person, instrument, session.rater)
    lines = vas_lines(defn, previous, request.POST if request.method == "POST" else None)
    return render(request, "measures/kiosk.html", {"session": session, "defn": defn, "error": error, "lines": lines,
                                                    "has_previous": bool(previous)})


@login_required
@sensitive_post_parameters("password")
def kiosk_return(request: AuthedRequest, token: str):
    """Only the worker, with their password, takes the tablet back to the staff view."""
    session = _open_kiosk(request, token)
    error = None
    if request.method == "POST":
        if request.user.check_password(request.POST.get("password", "")):
            request.session.pop(KIOSK_SESSION_KEY, None)
            request.session.pop("kiosk_failures", None)
            if session.activity_id:
                return redirect("measures:fit_session", person_id=session.person_id, activity_id=session.activity_id)
            if session.group_session_id:
                return redirect("courses:session_edit", session_id=session.group_session_id)
            if session.administration_id:
                messages.success(request, _("Målingen er gemt."))
                return redirect("measures:trajectory", person_id=session.person_id, code=session.version.instrument.code)
            return redirect("measures:person", person_id=session.person_id)
        failures = request.session.get("kiosk_failures", 0) + 1
        request.session["kiosk_failures"] = failures
        if failures >= 5:
            logout(request)
            return redirect("login")
        error = _("Forkert adgangskode.")
    return render(request, "measures/kiosk_return.html", {"session": session, "error": error})


@login_required
@require_GET
def trajectory(request: AuthedRequest, person_id: int, code: str):
    c = citizen(request, person_id, Section.MEASURES)
    person = c.person
    instrument = get_object_or_404(Instrument, code=code)
    own, relatives = services.trajectory(person, instrument), services.trajectory(person, instrument, relatives=True)
    administrations = (Administration.objects.filter(person=person, instrument=instrument)
                       .select_related("administered_by", "rater_network", "version").order_by("-on", "-pk"))
    record_read(c, "measures", [Section.IDENTITY, Section.MEASURES], extra=[instrument.code])
    defn = own.definition
    labels = {i.code: i.label for i in defn.items}
    shown = [(a, _answers(a, labels)) for a in administrations]
    latest = next((a for a, _answers_ in shown if a.status != Administration.Status.DECLINED), None)
    return render(request, "measures/trajectory.html", {
        "person": person, "instrument": instrument, "traj": own, "chart": trajectory_chart(own),
        "relatives": relatives, "relatives_chart": trajectory_chart(relatives), "administrations": shown,
        "classification": scoring.class_label(own.classification),
        "clinical": scoring.is_clinical(defn, own.latest), "matrix": _latest_matrix(defn, latest),
        "levels": {str(lv.value.normalize()): lv.label for lv in defn.levels},
        "can_edit": Section.MEASURES in c.writable,
        "sessions": sessions.session_scores(person) if code in (sessions.BEFORE, sessions.AFTER) else [],
    })


def _answers(administration: Administration, labels: dict[str, str]) -> list[tuple[str, Decimal, Decimal | None]]:
    """(label, value, the citizen's own value where it differs) per item, in the instrument's order."""
    values, citizen = administration.item_values(), administration.citizen_item_values()
    order = [code for code in labels if code in values] + sorted(code for code in values if code not in labels)
    return [(labels.get(code, code), values[code], citizen[code] if citizen.get(code, values[code]) != values[code] else None)
            for code in order]


def _latest_matrix(defn, latest):
    if defn.mode != "matrix" or latest is None:
        return None
    values = latest.item_values()
    return [(label, [values.get(f"{area}.{dim}") for dim, _dl in defn.dimensions]) for area, label in defn.areas]


@uses(Tool.MEASURE_RESULTS)
@require_GET
def results(request: AuthedRequest):
    """Intake against latest score per offer, team or group, classified; small cells suppressed. Staff also see
    the citizens whose measurements they may read, by name."""
    user = request.user
    figures = may_use(user, Tool.KEY_FIGURES)
    instruments = Instrument.objects.filter(active=True).exclude(code="FFB-FUNKTIONSEVNE")
    instrument = instruments.filter(code=request.GET.get("instrument") or "ORS").first() or instruments.first()
    if instrument is None:
        raise Http404
    administrations = Administration.objects.all()
    offer_id, team_id, group_id = (request.GET.get(k, "") for k in ("tilbud", "team", "hold"))
    if offer_id.isdigit():
        administrations = administrations.filter(course__offer_id=int(offer_id))
    if team_id.isdigit():
        administrations = administrations.filter(course__team_id=int(team_id))
    if group_id.isdigit():
        administrations = administrations.filter(course__group_id=int(group_id))
    readable = persons_reached(user, Section.MEASURES)
    if not figures:
        administrations = administrations.filter(person__in=readable)
    rows = services.results(instrument, administrations)
    ended = disclosure.latest_month_end(timezone.localdate())  # the summary is published as of the last ended month
    summary = services.summarise(services.results(instrument, administrations.filter(on__lte=ended)))
    visible = set(readable.filter(pk__in=[r.person_id for r in rows]).values_list("pk", flat=True))
    named = [r for r in rows if r.person_id in visible]
    if named:
        audit.record(user, AuditAction.VIEW, persons=[r.person_id for r in named], section="measure_results",
                     fields=[Section.IDENTITY, Section.MEASURES])
    names = {p.pk: p.display_name for p in Person.objects.filter(pk__in=[r.person_id for r in named])}
    return render(request, "measures/results.html", {
        "instrument": instrument, "instruments": instruments, "summary": summary, "summary_day": ended,
        "named": [(names[r.person_id], r, scoring.class_label(r.classification)) for r in named],
        "offers": Offer.objects.filter(active=True), "teams": Team.objects.all(),
        "groups": GroupRun.objects.order_by("-start")[:50], "selected": (offer_id, team_id, group_id),
    })


@login_required
def fit_start(request: AuthedRequest, person_id: int):
    """A session with FIT begins: the activity is registered, then the tablet goes to the citizen for the ORS."""
    c = citizen(request, person_id, Section.COURSES, Section.MEASURES, action=Action.WRITE)
    form = FitSessionForm(request.POST if request.method == "POST" else None, person=c.person)
    cap_warning = None
    if request.method == "POST" and form.is_valid():
        try:
            activity = cases.start_fit_session(c, form.cleaned_data["course"], on=timezone.localdate(),
                                               hours=form.cleaned_data["hours"], cap_reason=cap_reason(request))
        except SoftCapExceeded as exc:
            cap_warning = exc.message
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("measures:fit_session", person_id=c.person.pk, activity_id=activity.pk)
    record_read(c, "fit_session", [Section.IDENTITY, Section.COURSES])
    return render(request, "measures/fit_start.html", {"person": c.person, "form": form, "cap_warning": cap_warning})


def _session_activity(c, activity_id: int) -> Activity:
    return get_object_or_404(Activity.objects.select_related("course__offer"), pk=activity_id, person=c.person)


@login_required
@require_GET
def fit_session(request: AuthedRequest, person_id: int, activity_id: int):
    """One session: the ORS before it and the SRS after it, each handed over on the tablet."""
    c = citizen(request, person_id, Section.COURSES, Section.MEASURES)
    activity = _session_activity(c, activity_id)
    record_read(c, "fit_session", [Section.IDENTITY, Section.COURSES, Section.MEASURES])
    return render(request, "measures/fit_session.html", {
        "person": c.person, "scores": sessions.scores_of(activity), "can_edit": Section.MEASURES in c.writable,
        "cutoffs": {code: _cutoff(code) for code in (sessions.BEFORE, sessions.AFTER)},
        "practice_due": sessions.practice_rating_due(request.user),
    })


def _cutoff(code: str):
    return Instrument.objects.get(code=code).current.parsed.alert_below


@login_required
@require_POST
def fit_kiosk(request: AuthedRequest, person_id: int, activity_id: int, code: str):
    c = citizen(request, person_id, Section.MEASURES, action=Action.WRITE)
    activity = _session_activity(c, activity_id)
    try:
        kiosk = cases.open_session_kiosk(c, activity, code)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("measures:fit_session", person_id=c.person.pk, activity_id=activity.pk)
    request.session[KIOSK_SESSION_KEY] = kiosk.token
    return redirect("measures:kiosk", token=kiosk.token)


@login_required
@require_POST
def group_srs(request: AuthedRequest, session_id: int, person_id: int):
    """The tablet goes to one participant for the group SRS after a group session."""
    c = citizen(request, person_id, Section.MEASURES, action=Action.WRITE)
    group_session = get_object_or_404(GroupSession.objects.select_related("group"), pk=session_id)
    try:
        kiosk = cases.open_group_srs_kiosk(c, group_session)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("courses:group", group_id=group_session.group_id)
    request.session[KIOSK_SESSION_KEY] = kiosk.token
    return redirect("measures:kiosk", token=kiosk.token)


@login_required
def fit_practice(request: AuthedRequest):
    """The worker's own FIT practice, every fourth session where the team uses FIT."""
    form = FitPracticeForm(request.POST if request.method == "POST" else None, statements=sessions.PRACTICE_STATEMENTS)
    if request.method == "POST" and form.is_valid():
        try:
            cases.rate_fit_practice(request.user, scores=form.scores(), comment=form.cleaned_data["comment"],
                                    on=timezone.localdate())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Tak. Din vurdering af din FIT-praksis er gemt."))
            return redirect("home")
    return render(request, "measures/fit_practice.html", {
        "form": form, "uses_fit": sessions.uses_fit(request.user),
        "since": sessions.sessions_since_rating(request.user), "every": sessions.RATE_EVERY,
        "history": request.user.fit_ratings.all()[:8]})
