"""Plans that bend and FIT per session (issue 27): the front door and bostøtte teams use FIT, a few sessions carry
the ORS before and the SRS after, one citizen's plan is on pause now and another's pause is over. Built after the other
demo data, so theirs keep their random sequence."""

import datetime
import random
from decimal import Decimal

from traedesten.courses import services as courses
from traedesten.courses.models import Course
from traedesten.measures import services as measures
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
    return {"sessions with FIT": held, "pauses": paused}
