"""§82b six-month course, a §82a group course with attendance, and a §85 bostøtte episode, in the browser."""

from django.utils import timezone

from traedesten.accounts.roles import Role
from traedesten.core.dates import add_months
from traedesten.courses.models import Activity, Course, GroupRun, PackageChange, StaffTime


def test_82b_six_month_course(page, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    person = make_person(guide, team=team, first_name="Ole", last_name="Berg")
    page.login("guide")
    page.goto(f"/borgere/{person.pk}/")
    page.get_by_role("link", name="Start forløb").click()
    page.get_by_label("Tilbud").select_option(label="Individuelt §82b-forløb (6 måneder)")
    page.get_by_role("button", name="Start forløbet").click()
    end = add_months(timezone.localdate(), 6)
    page.get_by_text(f"Grænsen nås {end:%d.%m.%Y}").wait_for()  # six months by law (§ 82b)
    page.get_by_role("link", name="Aktivitet", exact=True).click()
    page.get_by_label("Hvor eller hvordan").select_option("video")
    page.get_by_role("button", name="Gem aktiviteten").click()
    page.get_by_text("Aktiviteten er registreret").wait_for()
    page.get_by_role("cell", name="Coachende samtale · Video").wait_for()
    page.screenshot_as("course-82b")
    page.get_by_role("link", name="Afslut").click()
    page.get_by_label("Borgeren går videre til").select_option("no_further_help")
    page.get_by_label("Hvad hjalp? (med borgerens egne ord)").fill("At nogen lyttede")
    page.get_by_role("button", name="Afslut forløbet").click()
    page.get_by_text("Forløbet er afsluttet").wait_for()
    course = Course.objects.get()
    assert (course.offer.max_months, course.status, course.activities.get().channel) == (6, "closed", "video")


def test_82a_group_course_with_attendance(page, transactional_db, make_user, make_person, team):
    guide = make_user(Role.GUIDE, [team], username="guide")
    make_user(Role.PEER, [team], username="peer", first_name="Pia", last_name="Peer")
    ane = make_person(guide, team=team, first_name="Ane", last_name="Dal")
    bo = make_person(guide, team=team, first_name="Bo", last_name="Eng")
    page.login("guide")
    page.get_by_role("link", name="Hold", exact=True).click()
    page.get_by_role("link", name="Opret hold").click()
    page.get_by_label("Tema").fill("Følelseshåndtering")
    page.get_by_label("Pladser").fill("1")
    page.get_by_label("Pia Peer").check()
    page.get_by_role("button", name="Opret holdet").click()
    page.get_by_text("Holdet er oprettet").wait_for()
    for person in (ane, bo):
        page.goto(f"/borgere/{person.pk}/")
        page.get_by_role("link", name="Tilmeld hold").click()
        page.get_by_role("button", name="Tilmeld").click()
    page.get_by_text("Holdet er fuldt (1 af 1 pladser)").wait_for()
    page.get_by_label("Begrundelse").fill("Ekstra stol i lokalet")
    page.get_by_role("button", name="Tilmeld").click()
    page.get_by_text("Bo Eng er tilmeldt Følelseshåndtering").wait_for()
    page.get_by_role("link", name="Tilmeld hold").click()
    page.get_by_role("button", name="Tilmeld").click()
    page.get_by_text("Bo Eng er allerede tilmeldt holdet").wait_for()

    group = GroupRun.objects.get()
    page.goto(f"/forloeb/hold/{group.pk}/")
    page.get_by_text("2 af 1 pladser besat").wait_for()
    page.get_by_role("link", name="Registrér fremmøde for en gang").click()
    page.get_by_role("group", name="Fremmøde for Bo Eng").get_by_label("Udeblevet").check()
    page.assert_accessible()
    page.screenshot_as("group-attendance-register")
    page.get_by_role("button", name="Gem fremmøde").click()
    page.get_by_text("Fremmødet er registreret").wait_for()
    page.assert_accessible()
    page.screenshot_as("group-detail")
    marks = dict(Activity.objects.values_list("person__first_name", "attendance"))
    assert marks == {"Ane": "attended", "Bo": "no_show"}
    assert sorted(StaffTime.objects.values_list("user__username", "hours")) == [("guide", 2), ("peer", 2)]


def test_85_bostotte_episode(page, transactional_db, make_user, make_person, team):
    worker = make_user(Role.BOSTOTTE, [team], username="bostotte")
    person = make_person(worker, team=team, first_name="Jens", last_name="Skov")
    page.login("bostotte")
    page.goto(f"/borgere/{person.pk}/")
    page.get_by_role("link", name="Start forløb").click()
    page.get_by_label("Tilbud").select_option(label="Bostøtte (§85)")
    page.get_by_label("Timepakke (bostøtte)").select_option("6-20")
    page.get_by_role("button", name="Start forløbet").click()
    page.get_by_text("Forløbet er startet").wait_for()
    page.get_by_role("link", name="Aktivitet", exact=True).click()
    assert page.get_by_label("Aktivitet", exact=True).input_value() == "bostotte_contact"
    page.get_by_label("Hvor eller hvordan").select_option("walk")
    page.get_by_role("button", name="Gem aktiviteten").click()
    page.get_by_text("Aktiviteten er registreret").wait_for()
    page.get_by_role("link", name="Timepakke").click()
    page.get_by_label("Ny timepakke").select_option("3-6")
    page.get_by_role("button", name="Planlæg nedtrapning").click()
    page.get_by_text("Nedtrapningen er planlagt").wait_for()
    page.get_by_role("link", name="Timepakke").click()
    page.get_by_role("button", name="Skift timepakke fra datoen").click()
    page.get_by_text("Timepakken er ændret").wait_for()
    page.get_by_role("link", name="Afslut").click()
    page.get_by_label("Borgeren går videre til").select_option("no_further_help")
    page.get_by_label("Hvad hjalp? (med borgerens egne ord)").fill("At nogen lyttede")
    page.get_by_role("button", name="Afslut forløbet").click()
    page.get_by_role("button", name="Tilbage i bostøtte").click()
    page.get_by_text("Borgeren er tilbage i bostøtte med samme timepakke").wait_for()
    page.assert_accessible()
    page.screenshot_as("bostotte-episode")
    first, again = Course.objects.order_by("pk")
    assert (first.status, first.hours_package, again.previous, again.hours_package) == ("closed", "3-6", first, "3-6")
    assert list(PackageChange.objects.filter(course=first).values_list("to_package", flat=True)) == ["6-20", "3-6"]
    assert Activity.objects.get().channel == "walk"
