import datetime

import pytest

from traedesten.accounts.api_auth import issue_token
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.measures.models import Administration

START = datetime.date(2026, 3, 2)
ORS = {"individual": "4", "interpersonal": "5", "social": "5.5", "overall": "4.5"}


@pytest.fixture
def api(client, guide):
    token = issue_token(guide, "test")
    return lambda method, path, **kw: getattr(client, method)(
        f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, content_type="application/json", **kw)


@pytest.fixture
def person(guide, make_person, team):
    person = make_person(guide, team=team)
    courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"), start=START)
    return person


def test_submit_one_and_fetch_the_trajectory(api, person):
    first = api("post", "/measurements", data={"person_id": person.pk, "instrument": "ORS", "on": "2026-03-02", "values": ORS})
    assert first.status_code == 201, first.content
    assert float(first.json()["total"]) == 19
    later = dict(ORS, individual="9.5", overall="9.5")
    assert api("post", "/measurements", data={"person_id": person.pk, "instrument": "ORS", "on": "2026-03-16",
                                              "values": later}).status_code == 201
    traj = api("get", f"/people/{person.pk}/trajectories/ORS").json()
    assert [float(p["total"]) for p in traj["points"]] == [19, 29.5]
    assert traj["classification"] == "recovered" and float(traj["cutoff"]) == 25


def test_batch_is_all_or_nothing(api, person):
    good = {"person_id": person.pk, "instrument": "ORS", "on": "2026-03-02", "values": ORS}
    bad = dict(good, values=dict(ORS, overall="12"))
    response = api("post", "/measurements/batch", data=[good, bad])
    assert response.status_code == 400 and response.json()["detail"].startswith("Nr. 2:")
    assert not Administration.objects.exists()
    assert api("post", "/measurements/batch", data=[good, dict(good, on="2026-03-09")]).status_code == 201
    assert Administration.objects.count() == 2


def test_future_date_and_decline(api, person):
    future = api("post", "/measurements", data={"person_id": person.pk, "instrument": "ORS", "on": "2099-01-01", "values": ORS})
    assert future.status_code == 400 and "fremtiden" in future.json()["detail"]
    declined = api("post", "/measurements", data={"person_id": person.pk, "instrument": "SRS", "on": "2026-03-02", "declined": True})
    assert declined.status_code == 201 and declined.json()["status"] == "declined"
