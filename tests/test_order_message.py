"""An order as a FHIR message after KL's draft FFB messaging guide, checked against the guide's profiles read from
its FSH sources (interop/fhir/fsh.py, decision 0044), and caught when it breaks them."""

import copy

import pytest
from django.test import override_settings

from conftest import goal_input, grant_kwargs
from traedesten.accounts.models import CaseloadAssignment, Department, Team
from traedesten.accounts.roles import Role
from traedesten.authority import grants
from traedesten.courses.models import Offer
from traedesten.interop import ffb_messaging, ffb_order

PROFILE = ffb_messaging.CANONICAL + "/StructureDefinition/kl-messaging-ffb-"


@pytest.fixture
def order(fhir_standards, make_user, make_person):
    ffb_messaging._loaded.cache_clear()
    social = Department.objects.get(code="social")
    front = Team.objects.create(name="Indgangen", department=social)
    provider = Team.objects.create(name="Bostøtte Nord", department=social)
    authority = Team.objects.create(name="Myndighed", department=Department.objects.get(code="authority"))
    caseworker = make_user(Role.AUTHORITY, [authority], first_name="Karen", last_name="Karlsen",
                           email="kaka@example.dk")
    person = make_person(make_user(Role.GUIDE, [front]), team=front, first_name="Christian", last_name="Christiansen",
                         cpr="1010901233", address="Harevænget 11", postal_code="7000", city="Fredericia",
                         phone="22334455")
    CaseloadAssignment.objects.create(person=person, team=authority)
    grant = grants.create_grant(caseworker, person, goals=[goal_input(), goal_input(area="Lave mad")],
                                **grant_kwargs(provider_team=provider,
                                               provider_offer=Offer.objects.get(name="Bostøtte (§85)")))
    return grant.orders.get()


def _errors(bundle):
    return ffb_messaging.errors(bundle)


def _entry(bundle, profile):
    return next(e["resource"] for e in bundle["entry"] if PROFILE + profile in e["resource"].get("meta", {}).get("profile", []))


def test_the_guides_fsh_is_read_as_profiles(fhir_standards):
    ffb_messaging._loaded.cache_clear()
    guide = ffb_messaging.guide()
    urls = {r["url"] for r in guide.resources if r["resourceType"] == "StructureDefinition"}
    assert PROFILE + "orderMessage" in urls and PROFILE + "orderCarePlan" in urls and PROFILE + "citizen" in urls
    header = next(r for r in guide.resources if r.get("url") == PROFILE + "orderMessageHeader")
    elements = {e["id"]: e for e in header["differential"]["element"]}
    assert elements["MessageHeader.eventCoding"]["patternCoding"]["code"] == "ffb-order"
    assert elements["MessageHeader.destination.receiver"]["type"][0]["targetProfile"] == [
        PROFILE + "messagingOrganization"]
    plan = next(r for r in guide.resources if r.get("url") == PROFILE + "orderCarePlan")
    assert plan["baseDefinition"] == "http://fhir.kl.dk/core/StructureDefinition/KLCommonCareSocialCarePlan"
    # Only rules that document (^short) or describe the exchange (^type.aggregation) are left out, and listed.
    assert all("^short" in s or "^type.aggregation" in s for s in guide.skipped), guide.skipped


@override_settings(TRAEDESTEN_AUTHORITY_PHONE="72100000")
def test_an_order_message_conforms_to_the_guide(order):
    bundle, errors = ffb_order.message(order)
    assert errors == []
    assert bundle["type"] == "message" and bundle["entry"][0]["resource"]["resourceType"] == "MessageHeader"
    citizen = _entry(bundle, "citizen")
    assert citizen["identifier"][0]["value"] == "1010901233" and citizen["telecom"][0]["value"] == "22334455"
    plan = _entry(bundle, "orderCarePlan")
    assert plan["intent"] == "order" and len(plan["goal"]) == 3  # the purpose and two goals
    header = bundle["entry"][0]["resource"]
    assert _entry(bundle, "messagingOrganization")["name"] and header["focus"] == [
        {"reference": f"CarePlan/{plan['id']}"}]


@override_settings(TRAEDESTEN_AUTHORITY_PHONE="72100000")
@pytest.mark.parametrize("fault, where", [
    (lambda b: _entry(b, "orderCarePlan").pop("author"), "author"),
    (lambda b: _entry(b, "orderCarePlan").pop("addresses"), "addresses"),
    (lambda b: b["entry"][0]["resource"]["eventCoding"].update(code="ffb-report"), "eventCoding"),
    (lambda b: _entry(b, "citizen").pop("telecom"), "telecom"),
    (lambda b: _entry(b, "interventionGoal").pop("subject"), "subject"),
    (lambda b: _entry(b, "intervention").pop("basedOn"), "basedOn"),
    (lambda b: b.update(type="collection"), "type"),
])
def test_each_broken_rule_of_the_guide_is_caught(order, fault, where):
    bundle = copy.deepcopy(ffb_order.build(order))
    fault(bundle)
    errors = _errors(bundle)
    assert errors and any(where in e for e in errors), errors


@override_settings(TRAEDESTEN_AUTHORITY_PHONE="")
def test_without_the_authoritys_phone_the_message_does_not_conform(order):
    _bundle, errors = ffb_order.message(order)
    assert any("telecom:phone" in e for e in errors)


@override_settings(TRAEDESTEN_AUTHORITY_PHONE="72100000")
def test_the_order_message_through_the_api(order, client, make_user):
    provider = make_user(Role.BOSTOTTE, [order.provider_team])
    client.force_login(provider)
    body = client.get(f"/api/v1/orders/{order.pk}/fhir").json()
    assert body["valid"] is True and body["bundle"]["type"] == "message"
    outsider = make_user(Role.BOSTOTTE, [Team.objects.create(name="Andet team")])
    client.force_login(outsider)
    assert client.get(f"/api/v1/orders/{order.pk}/fhir").status_code == 403
