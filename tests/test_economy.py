"""The business case reproduces Fredericia's own figures (seed-000 §2.7) from a dataset shaped like theirs."""

import datetime
import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.economy import calculation, services
from traedesten.economy.calculation import Assumptions
from traedesten.economy.models import HourlyRate, PriceItem

START, END = datetime.date(2016, 9, 9), datetime.date(2017, 11, 30)


@pytest.fixture
def fredericia(guide, make_person, team):
    """186 closed citizens; 106 would have had an ordinary offer (4,104,000 kr), 26 got one (1,936,000 kr); 3,350 hours."""
    din = Offer.objects.get(name="Din Indgang – forløb")
    items = {}
    for name, price in (("§85 bostøtte, let", 36_000), ("§85 bostøtte, moderat", 45_600), ("§104 dagtilbud", 70_000),
                        ("§85 bostøtte, svær", 81_600)):
        items[name] = PriceItem.objects.create(name=name, legal_basis=name.split()[0])
        services.set_price(items[name], annual_cost=D(price), valid_from=datetime.date(2016, 1, 1))
    services.set_rate(amount=D("311.94"), valid_from=datetime.date(2016, 1, 1))
    for n in range(186):
        person = make_person(guide, team=team)
        start = START + datetime.timedelta(days=n)
        course = courses.start_course(guide, person, din, start=start)
        courses.record_activity(guide, person, kind="coaching", on=start, course=course,
                                delivered_hours=D(20) if n == 0 else D(18))
        course = courses.close_course(guide, course, closed_on=start + datetime.timedelta(days=60),
                                      destination="no_further_help", expected_version=course.version)
        would = items["§85 bostøtte, let"] if n < 76 else items["§85 bostøtte, moderat"] if n < 106 else None
        got = items["§104 dagtilbud"] if n < 16 else items["§85 bostøtte, svær"] if n < 26 else None
        services.assess_shadow(guide, course, would_have=would, actually_got=got)


def test_fredericia_business_case_is_reproduced(fredericia):
    case = calculation.business_case(START, END)
    assert (case.closed, case.would_have, case.actually_got) == (186, 106, 26)
    assert (case.counterfactual_cost, case.actual_cost) == (D(4_104_000), D(1_936_000))
    assert case.gross_gain == D(2_168_000)
    assert case.hours == D(3350)
    assert abs(case.investment - D(1_045_000)) < 1_000
    assert case.ratio == D("2.07")
    assert case.net == case.gross_gain - case.investment
    assert case.payback_months == (case.investment / (case.gross_gain / 12)).quantize(D("0.1"))


def test_hours_on_a_no_show_are_not_invested(fredericia):
    """Rows from before the one rule (hours on a missed activity) still count 0 in the investment."""
    from traedesten.courses.models import Activity, Course

    course = Course.objects.filter(closed_on__lte=END).order_by("pk").first()
    Activity.objects.create(person_id=course.person_id, course=course, kind="coaching", on=course.start,
                            attendance="no_show", delivered_hours=D(5))
    case = calculation.business_case(START, END)
    assert case.hours == D(3350)


def test_persistence_decay_and_discounting(fredericia):
    case = calculation.business_case(START, END, assumptions=Assumptions(persistence_years=3, decay=D("0.5"),
                                                                          discount_rate=D("0.04")))
    expected = [D(2_168_000), D(2_168_000) * D("0.5") / D("1.04"), D(2_168_000) * D("0.25") / D("1.04") ** 2]
    assert [r.gain for r in case.projection] == [e.quantize(D(1)) for e in expected]
    assert case.projection[0].by_payer == {"kommune": D(2_168_000), "region": 0, "stat": 0}
    realised, ratios = case.sensitivity[-1]
    assert realised == 1 and ratios[0] == D("2.07")


def test_a_period_without_closed_citizens_reports_no_data(db):
    with pytest.raises(calculation.NoData, match="Ingen data"):
        calculation.business_case(datetime.date(2030, 1, 1), datetime.date(2030, 12, 31))


def test_hours_without_a_valid_rate_are_refused(fredericia):
    HourlyRate.objects.update(valid_from=datetime.date(2017, 1, 1))
    with pytest.raises(calculation.MissingPrice, match="timepris"):
        calculation.business_case(START, END)


def test_negative_prices_and_shadow_offers_outside_the_catalogue_are_refused(guide, make_person, team):
    item = PriceItem.objects.get(name="§107 midlertidigt botilbud")
    with pytest.raises(ValidationError, match="negativ"):
        services.set_price(item, annual_cost=D(-1), valid_from=datetime.date(2026, 1, 1))
    assert not item.prices.exists()
    course = courses.start_course(guide, make_person(guide, team=team), Offer.objects.get(name="Din Indgang – forløb"),
                                  start=datetime.date(2026, 1, 5))
    course = courses.close_course(guide, course, closed_on=datetime.date(2026, 3, 1), destination="authority",
                                  expected_version=course.version)
    with pytest.raises(ValidationError, match="priskataloget"):
        services.assess_shadow(guide, course, would_have="§107 midlertidigt botilbud")


def test_price_history_uses_the_price_valid_on_the_closing_day(db):
    item = PriceItem.objects.create(name="§85 bostøtte, let")
    services.set_price(item, annual_cost=D(30_000), valid_from=datetime.date(2016, 1, 1))
    services.set_price(item, annual_cost=D(33_000), valid_from=datetime.date(2017, 1, 1))
    assert calculation.price_on(item, datetime.date(2016, 12, 31)) == 30_000
    assert calculation.price_on(item, datetime.date(2017, 1, 1)) == 33_000
    with pytest.raises(calculation.MissingPrice):
        calculation.price_on(item, datetime.date(2015, 6, 1))


def test_command_prints_json(fredericia, capsys):
    call_command("business_case", "--from", START.isoformat(), "--to", END.isoformat(), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["gross_gain"] == "2168000" and data["ratio"] == "2.07" and data["closed"] == 185  # 186, rounded to 5
    assert data["hours_cost"] == "1045000"  # 1,044,999 kr to the nearest 1,000


def test_business_case_page_and_excel_export(client, make_user, fredericia):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from traedesten.accounts.roles import Role

    client.force_login(make_user(Role.ANALYST))
    query = {"fra": START.isoformat(), "til": END.isoformat(), "varighed": "1", "aftager": "0", "rente": "0",
             "timer": "delivered", "faste": "on"}
    page = client.get(reverse("economy:business_case"), query).content.decode()
    assert "2168000" in page.replace(".", "").replace("\xa0", "") and "<svg" in page and "Antagelser" in page
    assert "2,07" in page
    response = client.get(reverse("economy:excel"), query)
    book = load_workbook(io.BytesIO(response.content))
    values = {row[0].value: row[1].value for row in book["Business case"].iter_rows(min_row=2) if row[0].value}
    assert values["Brutto gevinst pr. år"] == 2_168_000 and values["Gevinst pr. investeret krone"] == 2.07
    assert [c.value for c in book["Følsomhed"][1]][:2] == ["Andel af skyggevisitationen der holder", "1 år"]
    empty = client.get(reverse("economy:business_case"), dict(query, fra="2001-01-01", til="2001-02-01")).content.decode()
    assert "Ingen data" in empty


def test_guides_cannot_see_the_business_case(client, guide):
    from django.urls import reverse

    client.force_login(guide)
    assert client.get(reverse("economy:business_case")).status_code == 403


def test_shadow_visitation_is_captured_when_closing(client, guide, make_person, team):
    from django.urls import reverse

    from traedesten.accounts.models import Background

    guide.background = Background.AUTHORITY
    guide.save()
    person = make_person(guide, team=team)
    course = courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"), start=datetime.date(2026, 1, 5))
    item = PriceItem.objects.get(name="§85 bostøtte, 3-6 timer/uge")
    client.force_login(guide)
    url = reverse("courses:close", args=[course.pk])
    assert "Skyggevisitation" in client.get(url).content.decode()
    client.post(url, {"closed_on": "2026-03-01", "destination": "civil_society", "version": course.version,
                      "shadow-would_have": item.pk, "shadow-confidence": "high",
                      "ending-what_helped": "Gåturene"})
    course.refresh_from_db()
    assert course.status == "closed"
    assert (course.shadow.would_have, course.shadow.confidence, course.shadow.authority_experience) == (item, "high", True)
    later = PriceItem.objects.get(name="§104 aktivitets- og samværstilbud")
    client.post(reverse("economy:shadow", args=[course.pk]), {"would_have": item.pk, "actually_got": later.pk,
                                                              "confidence": "medium"})
    course.shadow.refresh_from_db()
    assert course.shadow.actually_got == later


def test_the_business_case_page_shows_no_count_under_five_and_needs_seven_closed_citizens(client, make_user, guide,
                                                                                         make_person, team):
    """One citizen would have had an offer, one got one: the page must not say so; three closed citizens: no case."""
    from django.urls import reverse

    from traedesten.accounts.roles import Role

    din = Offer.objects.get(name="Din Indgang – forløb")
    item = PriceItem.objects.get(name="§85 bostøtte, 3-6 timer/uge")
    services.set_price(item, annual_cost=D(40_000), valid_from=datetime.date(2020, 1, 1))
    services.set_rate(amount=D(300), valid_from=datetime.date(2020, 1, 1))

    def close(n):
        for i in range(n):
            course = courses.start_course(guide, make_person(guide, team=team), din, start=datetime.date(2024, 3, 4))
            courses.record_activity(guide, course.person, kind="coaching", on=course.start, course=course,
                                    delivered_hours=D(3))
            course = courses.close_course(guide, course, closed_on=datetime.date(2024, 4, 1), destination="authority",
                                          expected_version=course.version)
            services.assess_shadow(guide, course, would_have=item if i == 0 else None, actually_got=item if i == 1 else None)
    close(3)
    client.force_login(make_user(Role.ANALYST))
    query = {"fra": "2024-01-01", "til": "2024-12-31", "varighed": "1", "aftager": "0", "rente": "0", "timer": "delivered",
             "faste": "on"}
    page = client.get(reverse("economy:business_case"), query).content.decode()
    assert "For få afsluttede borgere" in page and "40.000" not in page
    close(9)
    case = dict(client.get(reverse("economy:business_case"), query).context["rows"])
    assert (case["Afsluttede borgere"], case["Ville have fået et ordinært tilbud"], case["Fik et ordinært tilbud"]) == (10, 0, 0)
    assert (case["Kontrafaktisk udgift pr. år"], case["Faktisk udgift pr. år"]) == (0, 0)
    assert case["Timer"] == 35 and case["Værdi af timer"] == 11_000  # 36 h, 10,800 kr


def test_group_enrolments_closed_with_their_group_are_not_in_the_cohort(guide, make_person, team):
    from traedesten.courses import groups

    group = groups.create_group(guide, Offer.objects.get(name="Gruppeforløb"), theme="Ro på", start=datetime.date(2025, 3, 3),
                                planned_sessions=1, session_hours=D(2), facilitators=[guide])
    person = make_person(guide, team=team)
    groups.enrol(guide, group, person)
    groups.register_session(guide, group, on=datetime.date(2025, 3, 3), hours=D(2), attendance={person.pk: "attended"},
                            staff_hours={}, cap_reason="Én facilitator i dag")
    assert group.enrolments.get().status == "closed" and group.offer.front_door
    assert not calculation.cohort(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)).exists()
