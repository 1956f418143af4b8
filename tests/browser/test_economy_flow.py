import datetime
from decimal import Decimal

from traedesten.accounts.roles import Role
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.economy import services
from traedesten.economy.models import PriceItem


def test_manager_reads_the_business_case(page, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team])
    make_user(Role.MANAGER, [team], username="leder")
    item = PriceItem.objects.get(name="§85 bostøtte, 3-6 timer/uge")
    services.set_price(item, annual_cost=Decimal(78_000), valid_from=datetime.date(2020, 1, 1))
    services.set_rate(amount=Decimal("311.94"), valid_from=datetime.date(2020, 1, 1))
    for n in range(8):  # a business case needs seven closed citizens (docs/economy.md)
        person = make_person(guide, team=team)
        course = courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"),
                                      start=datetime.date(2025, 3, 3))
        courses.record_activity(guide, person, kind="coaching", on=course.start, course=course, delivered_hours=Decimal(10))
        course = courses.close_course(guide, course, closed_on=datetime.date(2025, 6, 2), destination="civil_society",
                                      expected_version=course.version)
        services.assess_shadow(guide, course, would_have=item if n < 4 else None)
    page.login("leder")
    page.get_by_role("link", name="Økonomi").click()
    page.get_by_label("Fra", exact=True).fill("2025-01-01")
    page.get_by_label("Til", exact=True).fill("2025-12-31")
    page.get_by_role("button", name="Beregn").click()
    page.get_by_role("heading", name="Antagelser").wait_for()
    page.get_by_role("img", name="Udgifter, gevinst og investering").wait_for()
    page.assert_accessible()
    page.screenshot_as("business-case")
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent som Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
