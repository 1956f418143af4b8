"""The on-call roster, the competence register and the matching queue of the demo (decisions 0048 and 0049): added
after everything else, so the random sequence of the existing data stays as it was."""

import datetime

from django.utils import timezone

from traedesten.accounts import staff as staff_register
from traedesten.accounts.models import Method, WorkerProfile
from traedesten.authority import matching
from traedesten.authority.models import Matching
from traedesten.courses.models import Course

COMPETENCES: dict[str, list[tuple[str, int, int | None]]] = {"bostotte": [("fit", 400, 730), ("mi", 900, None)], "guide": [("aaben-dialog", 600, None), ("rem", 200, None)],
               "guide2": [("mi", 300, None)], "opsoegende": [("low-arousal", 700, 1095), ("kriseintervention", 100, None)],
               "vagt": [("kriseintervention", 500, None), ("mi", 1200, 1000)]}


def build(rnd, today: datetime.date, staff: dict, teams: dict) -> dict:
    manager = staff["leder"]
    team = teams["bostotte"]
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    shifts = 0
    for day in range(-1, 7):
        for hour, who in ((0, "vagt"), (8, "bostotte"), (16, "vagt")):
            start = midnight + datetime.timedelta(days=day, hours=hour)
            staff_register.add_shift(manager, team, staff[who], starts_at=start, ends_at=start + datetime.timedelta(hours=8))
            shifts += 1
    methods = {m.code: m for m in Method.objects.all()}
    for username, items in COMPETENCES.items():
        for code, days_ago, valid_days in items:
            certified = today - datetime.timedelta(days=days_ago + rnd.randint(0, 30))
            staff_register.add_competence(manager, staff[username], methods[code], certified_on=certified,
                                          expires_on=certified + datetime.timedelta(days=valid_days) if valid_days else None)
    WorkerProfile.objects.create(user=staff["bostotte"], gender="female", languages="engelsk")
    WorkerProfile.objects.create(user=staff["opsoegende"], gender="male", languages="arabisk, engelsk")
    # Orders answered long ago were matched then: their worker is the course's responsible one. The newest waits.
    waiting = list(Matching.objects.filter(status=Matching.Status.WAITING).order_by("-opened_on", "-pk"))
    kept = None
    for m in waiting:
        course = matching.course_of(m)
        if kept is None and course is not None:
            kept = m
            Matching.objects.filter(pk=m.pk).update(opened_on=today - datetime.timedelta(days=11),
                                                    due_on=today + datetime.timedelta(days=3),
                                                    wished_gender="male", wished_language="arabisk")
            continue
        worker = (course.responsible if course and course.responsible else staff["bostotte"])
        Matching.objects.filter(pk=m.pk).update(status=Matching.Status.MATCHED, worker=worker,
                                                matched_on=min(today, m.due_on), matched_by=manager)
    requests = 0
    course = (Course.objects.filter(status=Course.Status.ACTIVE, team=teams["bostotte"], responsible__isnull=False)
              .exclude(person__matchings__status=Matching.Status.WAITING).order_by("pk").first())
    if course is not None:
        matching.request_other_worker(staff["bostotte"], course.person, team=teams["bostotte"],
                                      requested_on=today - datetime.timedelta(days=2),
                                      reason="Jeg vil gerne have en, der har bedre tid til at gå ture med mig",
                                      previous_worker=course.responsible, course=course)
        requests = 1
    return {"on-call shifts": shifts, "matchings waiting": int(kept is not None) + requests,
            "requests for another worker": requests}
