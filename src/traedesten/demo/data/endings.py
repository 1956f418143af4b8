"""The good ending in the demo (decision 0052): a few recently closed courses with an ending record, one after-care
visit due this week, and a klippekort with one klip used. Added after everything else, so the random sequence of the
existing data stays as it was."""

import datetime
from decimal import Decimal

from traedesten.core.dates import add_months
from traedesten.courses import ending as endings, services
from traedesten.courses.models import Activity, Course, Destination, Ending

WORDS = ["At nogen gik med mig de første gange", "At vi tog én ting ad gangen", "Gåturene, hvor vi kunne tale",
         "At jeg selv bestemte tempoet"]
COMMUNITY = ["Løbeklubben", "Caféen i medborgerhuset", "Haveforeningen", "Strikkeklubben"]


def build(rnd, today: datetime.date, staff: dict) -> dict:
    closed = list(Course.objects.filter(status=Course.Status.CLOSED, offer__kind__in=["course", "bostotte"],
                                        destination__in=[Destination.NO_FURTHER_HELP, Destination.CIVIL_SOCIETY],
                                        closed_on__lte=today - datetime.timedelta(days=14), ending__isnull=True)
                  .select_related("responsible").order_by("-closed_on", "pk")[:4])
    made = klip = visits = 0
    for index, course in enumerate(closed):
        assert course.closed_on is not None, "closed courses have a closing day"
        actor = course.responsible or staff["guide"]
        after_care = add_months(course.closed_on, endings.AFTER_CARE_MONTHS)
        if index == 0:
            after_care = today + datetime.timedelta(days=2)  # due this week, on the responsible worker's list
        fields = endings.clean({"what_helped": WORDS[index % len(WORDS)], "coping_plan_checked": index % 2 == 0,
                                "community": COMMUNITY[index % len(COMMUNITY)], "call_name": str(actor),
                                "call_phone": f"7{rnd.randint(1000000, 9999999)}", "after_care_on": after_care,
                                "klip": 3}, closed_on=course.closed_on)
        Ending.objects.create(course=course, on=course.closed_on, written_by=actor, **fields)
        made += 1
        if index > 0 and after_care <= today:  # visits already due were held: the demo's lists are not overdue
            services.record_activity(actor, course.person, kind=Activity.Kind.AFTER_CARE_VISIT, on=after_care,
                                     course=course, channel="home", delivered_hours=Decimal(1))
            visits += 1
        if index == 1:  # a klippekort with one klip used
            services.record_activity(actor, course.person, kind=Activity.Kind.ON_DEMAND_SESSION,
                                     on=min(today, course.closed_on + datetime.timedelta(days=10)), course=course,
                                     channel="phone", delivered_hours=Decimal(1))
            klip += 1
    return {"ending records": made, "after-care visits": visits, "klip used": klip}
