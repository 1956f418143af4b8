"""The hand-over form: prefilled from the plan, activities and measurements; sent only with consent."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _, ngettext

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction, CaseloadAssignment, Department, department_of
from traedesten.core.locking import update_versioned
from traedesten.courses.models import Activity
from traedesten.measures.models import Administration
from traedesten.people.consent import give_consent
from traedesten.people.models import Consent, ConsentScope
from traedesten.plans.models import Plan
from traedesten.plans.services import current_content

from . import ffb
from .models import HANDOVER_TEXT, Handover

TEXT_FIELDS = list(HANDOVER_TEXT)
AREA_THEME = {"Relationer": "social_life", "Kommunikation": "communication", "Mobilitet": "mobility",
              "Egenomsorg": "self_care", "Samfundsliv": "community", "Praktiske opgaver": "practical"}


def authority_department() -> Department:
    return Department.objects.get(code="authority")


def _shares_handover(consent: Consent, at=None) -> bool:
    return ConsentScope.HANDOVER in consent.scope and consent.in_force(at)


def handover_consent(person, recipient, at=None) -> Consent | None:
    """The consent in force that lets the hand-over be shared with the recipient."""
    candidates = Consent.objects.filter(person=person, recipient=recipient).order_by("-given_on", "-pk")
    return next((c for c in candidates if _shares_handover(c, at)), None)


def _duration(course, today) -> str:
    if course is None:
        return ""
    end = course.closed_on or today
    weeks = max(1, round((end - course.start).days / 7))
    return ngettext("%(n)s uge (%(start)s – %(end)s)", "%(n)s uger (%(start)s – %(end)s)", weeks) % {
        "n": weeks, "start": date_format(course.start, "j. M Y"), "end": date_format(end, "j. M Y")}


def _worked_on(person, course, content) -> str:
    lines = [f"• {g.citizen_text}" for g in (content.active_goals if content else [])]
    activities = person.activities.filter(attendance="attended")
    if course is not None:
        activities = activities.filter(course=course)

    labels = dict(Activity.Kind.choices)
    counts = activities.values("kind").annotate(n=Count("pk")).order_by("-n")
    if counts:
        lines.append(", ".join(f"{labels.get(row['kind'], row['kind'])} × {row['n']}" for row in counts))
    return "\n".join(lines)


def _themes_from_ffb(person) -> dict:
    """The latest FFB functional assessment, as theme texts with their conditions."""
    latest = (Administration.objects.filter(person=person, instrument__code="FFB-FUNKTIONSEVNE")
              .exclude(status="declined").order_by("-on", "-pk").first())
    themes: dict[str, dict] = {}
    if latest is None:
        return themes
    levels = ffb.levels()
    for code, value in latest.item_values().items():
        level = int(value)
        if not ffb.is_activity_condition(code) or level == 0:
            continue
        key = "finances" if "økonomi" in ffb.display(code).lower() else AREA_THEME[ffb.group_of(code)]
        theme = themes.setdefault(key, {"text": "", "conditions": []})
        line = f"{ffb.display(code)}: {levels[level].display.lower()}"
        theme["text"] = f"{theme['text']}\n{line}".strip()
        theme["conditions"].append(code)
    return themes


def prefill(person, course=None, today=None) -> dict:
    today = today or timezone.localdate()
    content = current_content(Plan.objects.filter(person=person).first())
    return {
        "reason": content.reason if content else "",
        "duration": _duration(course, today),
        "worked_on": _worked_on(person, course, content),
        "dream": "\n".join(content.dreams) if content else "",
        "future_goal": content.future_support if content else "",
        "benefit": (content.citizen_can_do_after or content.citizen_has_done) if content else "",
        "themes": _themes_from_ffb(person),
    }


def clean_themes(raw: dict) -> dict:
    themes = {}
    for key, _label, _areas in ffb.THEMES:
        entry = raw.get(key) or {}
        text = (entry.get("text") or "").strip()[:2000]
        allowed = {c.code for c in ffb.theme_conditions(key)}
        codes = [c for c in entry.get("conditions", []) if c]
        unknown = [c for c in codes if c not in allowed]
        if unknown:
            raise ValidationError(_("Ukendt FFB-tilstand for temaet »%(theme)s«.") % {"theme": _label})
        if text or codes:
            themes[key] = {"text": text, "conditions": sorted(set(codes))}
    return themes


def _sending_department(actor, person, course, recipient) -> Department:
    """The department that has the citizen's course: the course's team, else the actor's, else the caseload's."""
    candidates = [course.team.department if course is not None and course.team_id else None, department_of(actor)]
    candidates += [a.team.department for a in person.caseload.filter(end__isnull=True).select_related("team__department")]
    sender = next((d for d in candidates if d is not None and d.pk != recipient.pk), None)
    if sender is None:
        raise ValidationError(_("Overdragelsen skal sendes fra den afdeling, der har borgerens forløb."))
    return sender


def start_handover(actor, person, course=None, recipient=None) -> Handover:
    """The open draft for the citizen, or a new one prefilled from what we know."""
    draft = Handover.objects.filter(person=person, status=Handover.Status.DRAFT).first()
    if draft:
        return draft
    recipient = recipient or authority_department()
    try:
        with transaction.atomic():
            handover = Handover.objects.create(person=person, course=course, recipient=recipient, created_by=actor,
                                               sender=_sending_department(actor, person, course, recipient),
                                               **prefill(person, course))
    except IntegrityError:  # someone started one at the same moment
        return Handover.objects.get(person=person, status=Handover.Status.DRAFT)
    audit.record(actor, AuditAction.CREATE, person=person, section="handover", reason=recipient.code)
    return handover


@transaction.atomic
def save_handover(actor, handover: Handover, data: dict, *, version: int) -> Handover:
    changes = {field: (data.get(field) or "").strip() for field in TEXT_FIELDS}
    changes["themes"] = clean_themes(data.get("themes") or {})
    update_versioned(Handover.objects.filter(status=Handover.Status.DRAFT), handover.pk, version, **changes,
                     message=_("Overdragelsen er ændret eller sendt af en anden, siden du åbnede den. Genindlæs og prøv igen."))
    handover.refresh_from_db()
    audit.record(actor, AuditAction.UPDATE, person=handover.person_id, section="handover", fields=sorted(changes))
    return handover


@transaction.atomic
def send_handover(actor, handover: Handover, *, consent_now: dict | None = None) -> Handover:
    """Check and record consent, then send. Without consent nothing is sent."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.status != Handover.Status.DRAFT:
        raise ValidationError(_("Overdragelsen er allerede sendt."))
    labels = {f.name: f.verbose_name for f in Handover._meta.fields}
    missing = [str(labels[f]) for f in ["reason", "future_goal"] if not getattr(handover, f).strip()]
    if missing:
        raise ValidationError(_("Overdragelsen mangler: %(fields)s.") % {"fields": ", ".join(missing)})
    consent = handover_consent(handover.person, handover.recipient)
    if consent is None and consent_now:
        consent = give_consent(actor, handover.person, recipient=handover.recipient, scope=[ConsentScope.HANDOVER],
                               purpose=_("Overdragelse til myndighed"), given_on=timezone.localdate(),
                               form=consent_now["form"], given_by=consent_now["given_by"])
    if consent is None:
        raise ValidationError(_("Borgeren har ikke givet samtykke til at dele overdragelsen med %(recipient)s. "
                                "Registrér samtykket, før du sender.") % {"recipient": handover.recipient.name})
    handover.consent, handover.status = consent, Handover.Status.SENT
    handover.sent_at, handover.sent_by, handover.version = timezone.now(), actor, handover.version + 1
    handover.save()
    audit.record(actor, AuditAction.EXPORT, person=handover.person_id, section="handover",
                 reason=f"{handover.recipient.code} consent {consent.pk}")
    return handover


def is_recipient(user, handover: Handover) -> bool:
    department = department_of(user)
    return department is not None and department.pk == handover.recipient_id and department.pk != handover.sender_id


def _consented_persons(recipient_id: int, person_ids, at=None) -> set[int]:
    consents = Consent.objects.filter(recipient_id=recipient_id, person_id__in=set(person_ids))
    return {c.person_id for c in consents if _shares_handover(c, at)}


def readable(user, handovers, at=None) -> list[Handover]:
    """The hand-overs the user's department may read: the sender's always, the recipient's while consent is in force."""
    department = department_of(user)
    if department is None:
        return []
    handovers = list(handovers)
    received = [h for h in handovers if h.recipient_id == department.pk and h.sender_id != department.pk
                and h.status != Handover.Status.DRAFT]
    consented = _consented_persons(department.pk, [h.person_id for h in received], at) if received else set()
    return [h for h in handovers if h.sender_id == department.pk or (
        h in received and h.person_id in consented and h.consent is not None and h.consent.in_force(at))]


def may_read(user, handover: Handover, at=None) -> bool:
    return bool(readable(user, [handover], at))


@transaction.atomic
def acknowledge(actor, handover: Handover) -> Handover:
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.status != Handover.Status.SENT:
        raise ValidationError(_("Kun en sendt overdragelse kan kvitteres for."))
    if not is_recipient(actor, handover) or not may_read(actor, handover):
        raise ValidationError(_("Du kan ikke kvittere: overdragelsen er ikke sendt til din afdeling, "
                                "eller borgerens samtykke er trukket tilbage."))
    handover.status, handover.received_at, handover.received_by = Handover.Status.RECEIVED, timezone.now(), actor
    handover.version += 1
    handover.save()
    team = actor.teams.filter(department=handover.recipient).order_by("pk").first()
    if team and not CaseloadAssignment.objects.filter(person=handover.person, team=team, end__isnull=True).exists():
        CaseloadAssignment.objects.create(person=handover.person, team=team, worker=actor)
    audit.record(actor, AuditAction.UPDATE, person=handover.person_id, section="handover", fields=["received"])
    return handover


def _addressed_to(user):
    department = department_of(user)
    if department is None:
        return Handover.objects.none()
    return Handover.objects.filter(recipient=department, status__in=[Handover.Status.SENT, Handover.Status.RECEIVED]).exclude(
        sender=department).select_related("person", "consent", "sent_by", "received_by", "recipient")


def inbox(user) -> list[Handover]:
    """Hand-overs sent to the user's department and still readable."""
    return readable(user, _addressed_to(user).order_by("status", "-sent_at")[:100])


def withheld_count(user) -> int:
    """Hand-overs sent to the user's department that the citizen no longer lets it read."""
    addressed = list(_addressed_to(user))
    return len(addressed) - len(readable(user, addressed))


def theme_rows(handover: Handover) -> list[dict]:
    rows = []
    for key, label, _areas in ffb.THEMES:
        entry = handover.themes.get(key, {})
        rows.append({"key": key, "label": label, "text": entry.get("text", ""),
                     "conditions": [ffb.display(c) for c in entry.get("conditions", [])],
                     "codes": entry.get("conditions", []),
                     "choices": ffb.choices(ffb.theme_conditions(key))})
    return rows
