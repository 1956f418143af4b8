"""Plans that bend and FIT per session (issue 27): the front door and bostøtte teams use FIT, a few sessions carry
the ORS before and the SRS after, a group session its participants' SRS, a worker has rated their own practice, the
on-call service has registered a contact, one citizen's plan is on pause now and another's pause is over. Built after
the other demo data, so theirs keep their random sequence."""

import datetime
import random
from decimal import Decimal

from traedesten.courses import services as courses
from traedesten.courses.models import Activity, Course, GroupSession
from traedesten.measures import services as measures, sessions
from traedesten.measures.models import Instrument
from traedesten.plans import pauses

ONE = Decimal(1)
ORS_ITEMS = ("individual", "interpersonal", "social", "overall")
SRS_ITEMS = ("relationship", "goals", "approach", "overall")


def build(rnd: random.Random, today: datetime.date, staff: dict, teams: dict) -> dict:
    for key in ("frontdoor", "bostotte"):
        teams[key].uses_fit = True
        teams[key].save(update_fields=["uses_fit"])
    front = list(Course.objects.filter(status=Course.Status.ACTIVE, group=None, offer__front_door=True,
                                       offer__kind="course", responsible__isnull=False)
                 .select_related("person", "responsible", "offer").order_by("pk"))
    ors, srs = Instrument.objects.get(code="ORS"), Instrument.objects.get(code="SRS")
    held = 0
    for course in front[:8]:
        on = max(course.start, today - datetime.timedelta(days=rnd.randint(0, 6)))
        activity = courses.record_activity(
            course.responsible, course.person, kind="coaching", on=on, course=course, delivered_hours=ONE,
            staff_hours={course.responsible: ONE}, channel="office",
            cap_reason="Samtale med FIT ud over det planlagte antal")
        before = {k: Decimal(rnd.randint(30, 70)) / 10 for k in ORS_ITEMS}
        after = {k: Decimal(rnd.randint(75, 100)) / 10 for k in SRS_ITEMS}
        measures.administer(course.responsible, course.person, ors, on=on, values=before, activity=activity)
        measures.administer(course.responsible, course.person, srs, on=on, values=after, activity=activity)
        held += 1
    paused = 0
    for course, (start, days) in zip(front[8:10], ((today - datetime.timedelta(days=5), 21),
                                                   (today - datetime.timedelta(days=13), 6)), strict=False):
        pauses.start(course.responsible, course.person, starts_on=start, ends_on=start + datetime.timedelta(days=days),
                     reason="low_phase" if days > 7 else "hospital", today=today)
        paused += 1
    return {"sessions with FIT": held, "pauses": paused, "group SRS": _group_srs(rnd, today, srs),
            "practice ratings": _practice_rating(rnd, front[:8], today),
            "on-call contacts": _on_call_contact(today, staff, front[10] if len(front) > 10 else None)}


def _group_srs(rnd: random.Random, today: datetime.date, srs: Instrument) -> int:
    """The SRS each attending participant gave after the latest group session held."""
    session = (GroupSession.objects.filter(on__lte=today, attendance__attendance=Activity.Attendance.ATTENDED)
               .order_by("-on", "pk").first())
    if session is None:
        return 0
    attended = (session.attendance.filter(attendance=Activity.Attendance.ATTENDED)
                .select_related("person").order_by("pk")[:4])
    facilitator = session.staff_time.select_related("user").first()
    given = 0
    for activity in attended:
        actor = facilitator.user if facilitator else activity.registered_by
        if actor is None:
            continue
        values = {k: Decimal(rnd.randint(85, 100)) / 10 for k in SRS_ITEMS}
        measures.administer(actor, activity.person, srs, on=session.on, values=values, group_session=session)
        given += 1
    return given


def _practice_rating(rnd: random.Random, held: list, today: datetime.date) -> int:
    """The worker who held the most sessions with FIT has rated their own practice once."""
    workers = [c.responsible for c in held]
    if not workers:
        return 0
    worker = max(set(workers), key=lambda w: (workers.count(w), -w.pk))
    scores = {code: rnd.randint(3, 5) for code, _label in sessions.PRACTICE_STATEMENTS}
    sessions.rate_practice(worker, scores=scores, comment="Vi talte om målene, ikke kun om ugen der gik.", on=today)
    return 1


def _on_call_contact(today: datetime.date, staff: dict, course: Course | None) -> int:
    """Last night the on-call worker talked with a citizen of the front door on the phone."""
    if course is None:
        return 0
    courses.record_activity(staff["vagt"], course.person, kind=Activity.Kind.ON_CALL_CONTACT,
                            on=today - datetime.timedelta(days=1), channel="phone",
                            topic="Urolig nat; aftalt at guiden ringer i morgen")
    return 1
