"""The § 85 table's amount: each day's delivered hours times the newest hourly rate in force that day, and "–" for a
month with a day that no rate covers (docs/kpis.md, bostotte)."""

import datetime
from decimal import Decimal as D

from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.economy import services as economy
from traedesten.insights import kpis
from traedesten.insights.scope import Scope
from traedesten.insights.tables import NONE

START = datetime.date(2025, 1, 6)


def _rows(year: int = 2025) -> dict[str, list]:
    scope = Scope(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
    ((_kpi, table),) = kpis.exact(scope, ["bostotte"])
    return {row.key: row.values for row in table.rows}


def test_each_day_takes_the_newest_rate_in_force_and_an_unpriced_day_blanks_its_month(guide, make_person, team):
    person = make_person(guide, team=team)
    course = courses.start_course(guide, person, Offer.objects.filter(kind="bostotte").first(), start=START,
                                  hours_package="<3")
    for day, hours in ((datetime.date(2025, 1, 10), D(2)), (datetime.date(2025, 1, 20), D(3)),
                       (datetime.date(2025, 2, 10), D("1.5")), (datetime.date(2025, 3, 10), D(1))):
        courses.record_activity(guide, person, kind="coaching", on=day, course=course, delivered_hours=hours)
    economy.set_rate(amount=D(300), valid_from=datetime.date(2025, 1, 1), valid_to=datetime.date(2025, 2, 28))
    economy.set_rate(amount=D(400), valid_from=datetime.date(2025, 1, 15), valid_to=datetime.date(2025, 2, 28))

    rows = _rows()
    assert rows["2025-01"] == [1, D(5), D(2 * 300 + 3 * 400)]  # the 20th takes the newer rate, the 10th the older
    assert rows["2025-02"] == [1, D("1.5"), D(600)]
    assert rows["2025-03"] == [1, D(1), NONE]  # no rate covers March

    economy.set_rate(amount=D(350), valid_from=datetime.date(2025, 3, 1))
    assert _rows()["2025-03"] == [1, D(1), D(350)]

    courses.record_activity(guide, person, kind="coaching", on=datetime.date(2026, 1, 5), course=course,
                            delivered_hours=D(2))
    assert _rows(2026)["2026-01"] == [1, D(2), D(700)]  # one rate covers the whole year
