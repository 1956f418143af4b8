import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from traedesten.frontdoor import services
from traedesten.frontdoor.models import Contact, PartnerOrganisation


def test_partner_contact_must_name_the_partner(guide):
    with pytest.raises(ValidationError, match="samarbejdspartner"):
        services.register_contact(guide, origin="partner", channel="phone", outcome="information")
    jobcenter = PartnerOrganisation.objects.get(name="Jobcenter")
    contact = services.register_contact(guide, origin="partner", channel="phone", partner=jobcenter, outcome="home_visit")
    assert contact.queue_status == ""


def test_walk_in_queue_waiting_received_gone(guide):
    a = services.register_contact(guide, origin="citizen", channel="walk_in", reason="Skattekort")
    b = services.register_contact(guide, origin="relative", channel="walk_in")
    assert list(services.waiting_today()) == [a, b]
    services.route(guide, a, "ad_hoc")
    services.mark_gone(guide, b)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.queue_status, a.outcome) == ("received", "ad_hoc") and a.received_at >= a.at
    assert (b.queue_status, b.outcome) == ("gone", "none") and b.left_at
    with pytest.raises(ValidationError, match="allerede modtaget"):
        services.route(guide, a, "guide_conversation")


def test_contacts_are_counted_apart_from_persons(guide, make_person, team):
    person = make_person(guide, team=team)
    for _ in range(3):
        services.register_contact(guide, origin="citizen", channel="phone", person=person, outcome="information")
    services.register_contact(guide, origin="citizen", channel="walk_in")
    assert Contact.objects.count() == 4
    assert Contact.objects.exclude(person=None).values("person").distinct().count() == 1


def test_desk_registers_and_routes_in_one_click(client, guide):
    client.force_login(guide)
    client.post(reverse("frontdoor:desk"), {"origin": "citizen", "channel": "walk_in", "reason": "e-Boks"})
    contact = Contact.objects.get()
    assert contact.queue_status == "waiting"
    assert "e-Boks" in client.get(reverse("frontdoor:desk")).content.decode()
    client.post(reverse("frontdoor:route", args=[contact.pk]), {"outcome": "ad_hoc"})
    contact.refresh_from_db()
    assert contact.outcome == "ad_hoc"


def test_desk_rejects_a_phone_call_without_outcome(client, guide):
    client.force_login(guide)
    page = client.post(reverse("frontdoor:desk"), {"origin": "citizen", "channel": "phone"})
    assert "Kun fremmødte sættes i kø" in page.content.decode()
    assert not Contact.objects.exists()


def test_volunteers_and_analysts_cannot_use_the_desk(client, make_user, team):
    for role in ("volunteer", "analyst"):
        client.force_login(make_user(role, [team]))
        assert client.get(reverse("frontdoor:desk")).status_code == 403
        assert client.get(reverse("courses:worklist")).status_code == 403
