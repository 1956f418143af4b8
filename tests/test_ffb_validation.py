"""FFB DeliveryReports against KL's own profiles: the guide's examples, single injected faults, and the prose rules."""

import copy
import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from conftest import goal_input, grant_kwargs
from traedesten.authority import ffb, grants, handover as handovers
from traedesten.authority.models import Handover
from traedesten.courses import services as courses
from traedesten.courses.models import Offer
from traedesten.interop import ffb_guide, ffb_report, ffb_rules
from traedesten.interop.fhir.validator import Validator
from traedesten.measures.models import Instrument
from traedesten.measures.services import administer
from traedesten.people.consent import withdraw_consent

TODAY = timezone.localdate()
KL = "http://fhir.kl.dk/ffbreporting/StructureDefinition/kl-reporting-ffb-"
RANK = "http://fhir.kl.dk/core/StructureDefinition/ConditionRank"
LAST_ASSERTED = "http://fhir.kl.dk/core/StructureDefinition/ConditionLastAssertedDate"


def post():
    return ffb.code_named(ffb.activity_conditions(), "Håndtere post")


def food():
    return ffb.code_named(ffb.activity_conditions(), "Lave mad")


def memory():
    return ffb.code_named(ffb.conditions_in("Mentale funktioner"), "Hukommelse")


def assess(guide, citizen, on, values):
    return administer(guide, citizen, Instrument.objects.get(code="FFB-FUNKTIONSEVNE"), on=on, rater="joint",
                      values={code: Decimal(v) for code, v in values.items()})


@pytest.fixture
def citizen(guide, make_person, team):
    from traedesten.accounts.models import Department

    team.department = Department.objects.get(code="social")
    team.save()
    return make_person(guide, team=team, cpr="1010901233")


@pytest.fixture
def handed_over(guide, citizen, make_user):
    """A citizen handed over (with consent) with a condition outside "Aktivitet og deltagelse", and received."""
    from traedesten.accounts.models import Department, Team
    from traedesten.accounts.roles import Role

    caseworker = make_user(Role.AUTHORITY, [Team.objects.create(name="Myndighed", department=Department.objects.get(
        code="authority"))])
    course = courses.start_course(guide, citizen, Offer.objects.get(name="Din Indgang – forløb"),
                                  start=TODAY - datetime.timedelta(weeks=12))
    h = handovers.start_handover(guide, citizen, course)
    h = handovers.save_handover(guide, h, {"reason": "Jeg var alene", "future_goal": "Klare mig selv"}, version=h.version)
    h = handovers.send_handover(guide, h, consent_now={"form": "oral", "given_by": "citizen"})
    month_ago = timezone.now() - datetime.timedelta(days=30)
    Handover.objects.filter(pk=h.pk).update(themes={"mental": {"text": "Uro", "conditions": [memory()]}},
                                            sent_at=month_ago)
    handovers.acknowledge(caseworker, Handover.objects.get(pk=h.pk))
    return caseworker, Handover.objects.get(pk=h.pk)


@pytest.fixture
def rich(fhir_standards, guide, citizen, handed_over):
    """A citizen with two assessments, a grant with two goals and two target groups, and a follow-up held."""
    caseworker, _h = handed_over
    assess(guide, citizen, TODAY - datetime.timedelta(days=70), {post(): 3, food(): 2})
    grant = grants.create_grant(caseworker, citizen, goals=[goal_input(), goal_input(area="Lave mad", baseline=2)],
                                **grant_kwargs(target_groups=[ffb.code_named(ffb.target_groups(), "Social isolation"),
                                                              ffb.code_named(ffb.target_groups(), "Hjemløshed")]))
    assess(guide, citizen, TODAY - datetime.timedelta(days=10), {post(): 2})
    go_on = ffb.code_named(ffb.intervention_statuses(), "Træf afgørelse om fortsættelse af indsats")
    grants.record_follow_up(caseworker, grant, version=grant.version, held_on=TODAY - datetime.timedelta(days=5),
                            status_code=go_on, next_on=TODAY + datetime.timedelta(days=60),
                            expectations={g.pk: 2 for g in grant.goals.all()})
    return citizen, grant


def by_profile(bundle):
    found = {}
    for entry in bundle["entry"]:
        name = entry["resource"]["meta"]["profile"][0].removeprefix(KL)
        found.setdefault(name, []).append(entry["resource"])
    return found


def conditions_of(bundle, code):
    return [r for r in by_profile(bundle).get("condition", []) if r["code"]["coding"][0]["code"] == code]


# --- the guide's own data ----------------------------------------------------------------------------------------------

def test_the_guides_five_examples_pass_apart_from_its_listed_defects(fhir_standards):
    examples = ffb_guide.examples()
    assert len(examples) == 5
    validator, profile = ffb_guide.validator()
    as_published = Validator(validator.definitions, require_bundled_references=True)
    goal_2_failed = 0
    for path in examples:
        bundle = json.loads(path.read_text(encoding="utf-8"))
        assert [str(i) for i in validator.errors(bundle, [profile])] == [], path.name
        # Without the corrections, the only failure is the defect the guide itself carries.
        published = {i.rule for i in as_published.errors(bundle, [profile])}
        assert published <= {"invariant:kl-reporting-ffb-intervention-goal-2", "profile"}, (path.name, published)
        has_goals = any(e["resource"]["resourceType"] == "Goal" for e in bundle["entry"])
        assert ("invariant:kl-reporting-ffb-intervention-goal-2" in published) == has_goals, path.name
        goal_2_failed += has_goals
        # The examples leave out meta.lastUpdated, which the guide's prose asks of every resource (a listed defect).
        assert any("lastUpdated" in e for e in ffb_rules.prose_errors(bundle))
    assert goal_2_failed == 2  # the two examples that carry goals


def test_every_listed_guide_defect_names_an_invariant_the_profiles_have(fhir_standards):
    validator, _profile = ffb_guide.validator()
    keys = set()
    for sd in validator.definitions.structures.values():
        for element in sd.get("differential", {}).get("element", []):
            keys |= {c["key"] for c in element.get("constraint", [])}
    for defect in ffb_guide.GUIDE_DEFECTS:
        assert defect.key in keys and defect.reason
        assert validator.overrides[defect.key].expression  # corrected, never skipped


def test_the_validator_is_not_tied_to_ffb_the_dependencies_examples_pass_their_profiles(fhir_standards):
    """The same validator checks kl.dk.fhir.core's and hl7.fhir.dk.core's own examples (the profiles the messaging
    guide's order builds on) against the profiles they declare."""
    validator, _profile = ffb_guide.validator()
    plain = Validator(validator.definitions)
    checked, unresolvable = 0, set()
    for package in ("kl.dk.fhir.core#1.2.0", "hl7.fhir.dk.core#1.1.0"):
        for path in sorted((fhir_standards / "packages" / package / "package").glob("*-*.json")):
            resource = json.loads(path.read_text(encoding="utf-8"))
            if resource["resourceType"] in ("StructureDefinition", "ValueSet", "CodeSystem", "ImplementationGuide",
                                            "NamingSystem"):
                continue
            checked += 1
            errors = [f"{i.rule} {i}" for i in plain.errors(resource)]
            if errors == ["cardinality CarePlan.goal:fpurpose: goal:fpurpose skal forekomme mindst 1 gang(e), men "
                          "forekommer 0."]:
                unresolvable.add(path.name)  # sliced by resolve().category: its goals are not in a bundle here
                continue
            assert errors == [], path.name
    assert checked > 80 and unresolvable == {"CarePlan-FFBIndsats.json", "CarePlan-NySocialIndsats.json"}


def test_a_narrative_with_active_content_breaks_r4s_own_invariant(fhir_standards):
    validator, _profile = ffb_guide.validator()
    plain = Validator(validator.definitions)
    patient = {"resourceType": "Patient", "id": "p", "text": {"status": "generated", "div": (
        '<div xmlns="http://www.w3.org/1999/xhtml"><p>Borger</p></div>')}}
    assert plain.errors(patient) == []
    patient["text"]["div"] = '<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></div>'
    assert "invariant:txt-1" in {i.rule for i in plain.errors(patient)}


# --- our bundles --------------------------------------------------------------------------------------------------------

def test_a_rich_bundle_passes_with_no_warning_but_the_missing_narrative(rich):
    citizen, _grant = rich
    bundle, errors = ffb_report.report(citizen)
    assert errors == []
    others = [i for i in ffb_guide.validate(bundle) if i.rule != "invariant:dom-6" and i.severity != "information"]
    assert others == []  # dom-6 asks for a narrative, which our no-free-text rule leaves out


FAULTS = [
    # (name, change, the rule that must catch it)
    ("service-request-intent", lambda r, b: r["serviceRequest"][0].update(intent="order"), "pattern"),
    ("encounter-status", lambda r, b: r["followUpEncounter"][0].update(status="finished"), "pattern"),
    ("encounter-class", lambda r, b: r["followUpEncounter"][0]["class"].update(code="AMB"), "pattern"),
    ("encounter-type", lambda r, b: r["followUpEncounter"][0]["type"][0]["coding"][0].update(
        code="0bb3daef-538d-45dc-b444-abdbcb63f6bc"), "pattern"),
    ("goal-category", lambda r, b: r["interventionGoal"][0]["category"][0]["coding"][0].update(
        code="66959f77-6e2a-4574-8423-3ff097f8b9fa"), "pattern"),
    ("goal-description", lambda r, b: r["interventionGoal"][0]["description"]["coding"][0].update(code="404684003"),
     "pattern"),
    ("care-evaluation-code", lambda r, b: r["careEvaluation"][0]["code"]["coding"][0].update(
        code="9f03dfbb-7a97-45a5-94db-d4c3501714a9"), "pattern"),
    ("follow-up-code", lambda r, b: r["followUp"][0]["code"]["coding"][0].update(code="404684003"), "pattern"),
    ("patient-name", lambda r, b: r["citizen"][0].update(name=[{"family": "Hansen"}]), "cardinality"),
    ("patient-gender", lambda r, b: r["citizen"][0].update(gender="female"), "cardinality"),
    ("patient-birth-date", lambda r, b: r["citizen"][0].update(birthDate="1990-10-10"), "cardinality"),
    ("bundle-total", lambda r, b: b.update(total=len(b["entry"])), "cardinality"),
    ("condition-unknown-extension", lambda r, b: r["condition"][0].setdefault("extension", []).append(
        {"url": "http://example.org/fhir/StructureDefinition/mood", "valueString": "glad"}), "slicing"),
    ("no-based-on-service-request", lambda r, b: r["informationGathering"][0].pop("extension"), "cardinality"),
    ("no-encounter-period", lambda r, b: r["followUpEncounter"][0].pop("period"), "cardinality"),
    ("no-intervention-created", lambda r, b: r["intervention"][0].pop("created"), "cardinality"),
    ("clinical-status-code", lambda r, b: r["condition"][0]["clinicalStatus"]["coding"][0].update(code="sick"),
     "binding"),
    ("period-ends-before-start", lambda r, b: r["carePlan"][0]["period"].update(end="2000-01-01"), "invariant:per-1"),
    ("cpr-impossible-date", lambda r, b: r["citizen"][0]["identifier"][0].update(value="3213901233"), "invariant:cpr"),
    ("cpr-system", lambda r, b: r["citizen"][0]["identifier"][0].update(system="urn:oid:1.2.3"), "binding"),
    ("sts-use", lambda r, b: r["citizen"][0]["managingOrganization"]["identifier"].update(use="usual"), "fixed"),
    ("severity-outside-activity", lambda r, b: [c for c in r["condition"] if "severity" not in c][0].update(
        severity=r["condition"][0]["severity"]), "invariant:kl-reporting-ffb-condition-1"),
    ("activity-without-severity", lambda r, b: [c for c in r["condition"] if "severity" in c][0].pop("severity"),
     "invariant:kl-reporting-ffb-condition-1"),
    ("goal-two-primaries", lambda r, b: r["interventionGoal"][0]["addresses"].append(
        {**r["interventionGoal"][1]["addresses"][0]}), "invariant:kl-reporting-ffb-intervention-goal-2"),
    ("goal-no-primary", lambda r, b: r["interventionGoal"][0]["addresses"][0]["extension"][0].update(
        valuePositiveInt=2), "invariant:kl-reporting-ffb-intervention-goal-2"),
    ("goal-rank-above-2", lambda r, b: r["interventionGoal"][0]["addresses"][0]["extension"][0].update(
        valuePositiveInt=3), "maxValue"),
    ("goal-addresses-non-activity", lambda r, b: r["interventionGoal"][0]["addresses"].append(
        {"reference": "Condition/" + [c for c in r["condition"] if "severity" not in c][0]["id"],
         "extension": [{"url": RANK, "valuePositiveInt": 2}]}), "invariant:kl-reporting-ffb-intervention-goal-1"),
    ("care-plan-two-primary-target-groups", lambda r, b: r["carePlan"][0]["addresses"][1]["extension"][0].update(
        valuePositiveInt=1), "invariant:kl-reporting-ffb-care-plan-2"),
    ("open-care-plan-without-follow-up-date", lambda r, b: r["carePlan"][0].update(
        extension=r["carePlan"][0]["extension"][:1]), "invariant:kl-reporting-ffb-care-plan-1"),
    ("open-care-plan-without-evaluation", lambda r, b: r["carePlan"][0].pop("activity"),
     "invariant:kl-reporting-ffb-care-plan-4"),
    ("open-care-plan-without-target-groups", lambda r, b: r["carePlan"][0].pop("addresses"),
     "invariant:kl-reporting-ffb-care-plan-5"),
    ("care-plan-without-case-number", lambda r, b: r["carePlan"][0].update(extension=r["carePlan"][0]["extension"][1:]),
     "cardinality"),
    ("follow-up-preliminary", lambda r, b: r["followUp"][0].update(status="preliminary"),
     "invariant:kl-reporting-ffb-follow-up-1"),
    ("reference-outside-bundle", lambda r, b: r["carePlan"][0]["goal"].append({"reference": "Goal/nowhere"}),
     "reference"),
    ("subject-not-the-citizen", lambda r, b: r["condition"][0].update(
        subject={"reference": "Condition/" + r["condition"][1]["id"]}), "reference-target"),
    ("finding-is-a-target-group", lambda r, b: r["informationGathering"][0]["finding"].append(
        {"itemReference": {"reference": "Condition/" + r["targetGroup"][0]["id"]}}), "reference-target"),
    ("condition-code-is-a-target-group", lambda r, b: r["condition"][0]["code"]["coding"][0].update(
        code=r["targetGroup"][0]["code"]["coding"][0]["code"]), "binding"),
    ("unknown-ffb-code", lambda r, b: r["condition"][0]["severity"]["coding"][0].update(code="no-such-code"), "code"),
    ("support-need-is-a-level", lambda r, b: r["careEvaluation"][0].update(
        valueCodeableConcept=r["condition"][0]["severity"]), "binding"),
    ("service-is-not-a-ydelse", lambda r, b: r["intervention"][0]["activity"][0]["detail"].update(
        code=r["careEvaluation"][0]["valueCodeableConcept"]), "binding"),
    ("offer-type-is-not-a-tilbud", lambda r, b: r["servicePerformer"][0].update(
        category=[r["careEvaluation"][0]["valueCodeableConcept"]]), "binding"),
    ("goal-target-not-a-level", lambda r, b: r["interventionGoal"][0]["target"][0].update(
        detailCodeableConcept=r["careEvaluation"][0]["valueCodeableConcept"]), "binding"),
    ("goal-without-goal-type", lambda r, b: r["interventionGoal"][0]["target"].pop(1), "cardinality"),
    ("target-group-with-severity", lambda r, b: r["targetGroup"][0].update(severity=r["condition"][0]["severity"]),
     "cardinality"),
    ("condition-without-recorded-date", lambda r, b: r["condition"][0].pop("recordedDate"), "cardinality"),
    ("condition-code-text", lambda r, b: r["condition"][0]["code"].update(text="Post"), "cardinality"),
    ("goal-note", lambda r, b: r["interventionGoal"][0].update(note=[{"text": "Mette er ked af det"}]), "cardinality"),
    ("impossible-date", lambda r, b: r["condition"][0].update(recordedDate="2026-02-30"), "type"),
    ("last-asserted-not-a-date", lambda r, b: [c for c in r["condition"] if "extension" in c][0]["extension"][0].update(
        valueDateTime="i går"), "type"),
    ("service-request-status", lambda r, b: r["serviceRequest"][0].update(status="paused"), "binding"),
    ("bundle-type", lambda r, b: b.update(type="searchset"), "pattern"),
    ("bundle-without-timestamp", lambda r, b: b.pop("timestamp"), "cardinality"),
    ("entry-request", lambda r, b: b["entry"][0].update(request={"method": "PUT", "url": "Patient/1"}), "cardinality"),
    ("resource-type-not-allowed", lambda r, b: b["entry"].append({"fullUrl": "Practitioner/1", "resource": {
        "resourceType": "Practitioner", "id": "1"}}), "type"),
    ("full-url-disagrees-with-id", lambda r, b: b["entry"][1].update(fullUrl="Condition/other"), "bundle"),
    ("follow-up-value-as-text", lambda r, b: r["followUp"][0].update(valueString="Fortsæt")
     or r["followUp"][0].pop("valueCodeableConcept"), "type"),
    ("unknown-element", lambda r, b: r["carePlan"][0].update(colour="blue"), "structure"),
    ("identifier-on-goal", lambda r, b: r["interventionGoal"][0].update(identifier=[{"value": "1"}]), "cardinality"),
    ("condition-of-neither-ffb-profile", lambda r, b: r["condition"][0].update(
        meta={**r["condition"][0]["meta"], "profile": ["http://hl7.org/fhir/StructureDefinition/Condition"]},
        category=[{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                               "code": "problem-list-item"}]}]), "invariant:kl-reporting-ffb-delivery-report-1"),
    ("care-plan-of-neither-ffb-profile", lambda r, b: r["carePlan"][0].update(
        meta={**r["carePlan"][0]["meta"], "profile": ["http://hl7.org/fhir/StructureDefinition/CarePlan"]},
        created="2026-01-01"), "invariant:kl-reporting-ffb-delivery-report-2"),
    ("observation-of-neither-ffb-profile", lambda r, b: r["followUp"][0].update(
        meta={**r["followUp"][0]["meta"], "profile": ["http://hl7.org/fhir/StructureDefinition/Observation"]},
        issued="2026-01-01T10:00:00+01:00"), "invariant:kl-reporting-ffb-delivery-report-3"),
    ("contained-resource", lambda r, b: r["serviceRequest"][0].update(contained=[{"resourceType": "Basic", "id": "x",
                                                                                   "code": {}}]), "cardinality"),
]


@pytest.mark.parametrize("name, change, rule", FAULTS, ids=[f[0] for f in FAULTS])
def test_each_injected_fault_is_caught(rich, name, change, rule):
    citizen, _grant = rich
    bundle = ffb_report.build_bundle(citizen)
    assert ffb_rules.validate(bundle) == []
    broken = copy.deepcopy(bundle)
    change(by_profile(broken), broken)
    errors = [i for i in ffb_guide.validate(broken) if i.severity == "error"]
    assert rule in {i.rule for i in errors}, [f"{i.rule} {i}" for i in errors]
    assert ffb_rules.validate(broken)  # and the check before writing refuses it


PROSE_FAULTS = [
    ("no-last-updated", lambda r, b: r["condition"][0]["meta"].pop("lastUpdated"), "lastUpdated"),
    ("id-not-unique", lambda r, b: [r["servicePerformer"][0].update(id="performer"),
                                    b["entry"][[e["resource"]["resourceType"] for e in b["entry"]].index("CareTeam")]
                                    .update(fullUrl="CareTeam/performer")], "UUID"),
    ("two-citizens", lambda r, b: b["entry"].append(copy.deepcopy(b["entry"][0]) | {
        "fullUrl": "Patient/6e4a1f0e-3d7e-4a8c-9a47-1f2b3c4d5e6f"}), "én borger"),
    ("sts-not-a-uuid", lambda r, b: r["citizen"][0]["managingOrganization"]["identifier"].update(value="Aarhus"), "STS"),
    ("display-text", lambda r, b: r["condition"][0]["code"]["coding"][0].update(display="Håndtere post"), "Fritekst"),
]


@pytest.mark.parametrize("name, change, words", PROSE_FAULTS, ids=[f[0] for f in PROSE_FAULTS])
def test_the_guides_prose_rules_and_our_no_free_text_rule_are_checked(rich, name, change, words):
    citizen, _grant = rich
    broken = ffb_report.build_bundle(citizen)
    change(by_profile(broken), broken)
    assert any(words in e for e in ffb_rules.validate(broken)), ffb_rules.validate(broken)


def test_the_check_does_not_share_the_builders_identifiers(rich, monkeypatch):
    """A wrong URL or code in the builder is caught, because the check reads the guide, not ffb_profile.py."""
    citizen, _grant = rich
    monkeypatch.setattr(ffb_report, "CONDITION_RANK", "http://fhir.kl.dk/term/StructureDefinition/ConditionRank")
    assert ffb_rules.validate(ffb_report.build_bundle(citizen))
    monkeypatch.undo()
    monkeypatch.setattr(ffb_report, "GOAL_CATEGORY", "66959f77-6e2a-4574-8423-3ff097f8b9fa")
    assert ffb_rules.validate(ffb_report.build_bundle(citizen))
    monkeypatch.undo()
    monkeypatch.setattr(ffb_report, "LAST_ASSERTED", "http://fhir.kl.dk/term/StructureDefinition/ConditionLastAssertedDate")
    assert ffb_rules.validate(ffb_report.build_bundle(citizen))


def test_missing_definitions_stop_the_report_with_a_danish_message(rich, settings, tmp_path):
    citizen, _grant = rich
    settings.TRAEDESTEN_FHIR_STANDARDS = str(tmp_path)
    ffb_guide._validator.cache_clear()
    try:
        errors = ffb_report.report(citizen)[1]
    finally:
        settings.TRAEDESTEN_FHIR_STANDARDS = ""
        ffb_guide._validator.cache_clear()
    assert errors and "kan ikke indlæses" in errors[0]


# --- the prose rules in the builder ------------------------------------------------------------------------------------

def test_a_reassessed_condition_carries_its_last_asserted_date(rich):
    citizen, grant = rich
    bundle = ffb_report.build_bundle(citizen)
    [mail] = conditions_of(bundle, post())
    assert mail["recordedDate"] == (TODAY - datetime.timedelta(days=70)).isoformat()
    assert mail["extension"] == [{"url": LAST_ASSERTED, "valueDateTime": (TODAY - datetime.timedelta(days=10)).isoformat()}]
    assert mail["severity"]["coding"][0]["code"] == ffb.levels()[2].code  # the latest level
    [cooking] = conditions_of(bundle, food())
    assert "extension" not in cooking  # assessed once


def test_each_assessment_is_a_new_information_gathering_with_all_it_assessed(rich):
    citizen, grant = rich
    bundle = ffb_report.build_bundle(citizen)
    gatherings = sorted(by_profile(bundle)["informationGathering"], key=lambda g: g["effectiveDateTime"])
    assert [g["effectiveDateTime"] for g in gatherings] == [(TODAY - datetime.timedelta(days=70)).isoformat(),
                                                            (TODAY - datetime.timedelta(days=10)).isoformat()]
    assert len({g["id"] for g in gatherings}) == 2
    ids = {c["code"]["coding"][0]["code"]: "Condition/" + c["id"] for c in by_profile(bundle)["condition"]}
    assert {f["itemReference"]["reference"] for f in gatherings[0]["finding"]} == {ids[post()], ids[food()]}
    assert {f["itemReference"]["reference"] for f in gatherings[1]["finding"]} == {ids[post()]}
    # The støttebehov belongs to the gathering before the decision, and both rest on the grant's request.
    assert "investigation" in gatherings[0] and "investigation" not in gatherings[1]
    request = "ServiceRequest/" + by_profile(bundle)["serviceRequest"][0]["id"]
    assert {g["extension"][0]["valueReference"]["reference"] for g in gatherings} == {request}


def test_a_grant_without_an_assessment_gets_a_gathering_with_every_assessed_condition(fhir_standards, citizen,
                                                                                     handed_over):
    caseworker, h = handed_over
    grants.create_grant(caseworker, citizen, goals=[goal_input()], handover=h, **grant_kwargs(
        decided_on=TODAY - datetime.timedelta(days=20), starts_on=TODAY - datetime.timedelta(days=20)))
    bundle, errors = ffb_report.report(citizen)
    assert errors == []
    [gathering] = by_profile(bundle)["informationGathering"]
    codes = {c["id"]: c["code"]["coding"][0]["code"] for c in by_profile(bundle)["condition"]}
    assert {codes[f["itemReference"]["reference"].split("/")[1]] for f in gathering["finding"]} == {post(), memory()}


def test_target_groups_carry_clinical_and_verification_status(rich):
    citizen, _grant = rich
    for group in by_profile(ffb_report.build_bundle(citizen))["targetGroup"]:
        assert group["clinicalStatus"]["coding"][0]["code"] == "active"
        assert group["verificationStatus"]["coding"][0]["code"] == "confirmed"


def test_withdrawn_consent_sends_the_hand_overs_conditions_as_an_update(rich, guide):
    citizen, grant = rich
    before = ffb_report.build_bundle(citizen)
    [held] = conditions_of(before, memory())
    assert held["clinicalStatus"]["coding"][0]["code"] == "active"
    withdraw_consent(guide, Handover.objects.get(person=citizen).consent)
    after, errors = ffb_report.report(citizen)
    assert errors == []
    [update] = conditions_of(after, memory())
    assert update["id"] == held["id"]  # the same resource: the receiver replaces what it holds
    assert update["clinicalStatus"]["coding"][0]["code"] == "inactive"
    assert update["extension"] == [{"url": LAST_ASSERTED, "valueDateTime": TODAY.isoformat()}]
    assert "Uro" not in json.dumps(after, ensure_ascii=False)
    assert citizen in ffb_report.changed_on(TODAY)


def test_a_moved_follow_up_date_updates_the_same_encounter(rich):
    citizen, grant = rich
    [encounter] = by_profile(ffb_report.build_bundle(citizen))["followUpEncounter"]
    assert encounter["period"]["start"] == (TODAY + datetime.timedelta(days=60)).isoformat()
    [earlier] = by_profile(ffb_report.build_bundle(citizen, as_of=TODAY - datetime.timedelta(days=6)))["followUpEncounter"]
    assert earlier["id"] == encounter["id"]
    assert earlier["period"]["start"] == (TODAY - datetime.timedelta(days=5)).isoformat()  # the day it was held


def test_a_snapshot_as_of_a_day_leaves_out_what_came_later(rich):
    citizen, grant = rich
    day = TODAY - datetime.timedelta(days=20)
    bundle, errors = ffb_report.report(citizen, as_of=day)
    assert errors == []
    resources = by_profile(bundle)
    assert "followUp" not in resources  # held 5 days ago
    assert len(resources["informationGathering"]) == 1
    assert all(r["meta"]["lastUpdated"].startswith(day.isoformat()) for r in resources["condition"])
    [mail] = conditions_of(bundle, post())
    assert "extension" not in mail and mail["severity"]["coding"][0]["code"] == ffb.levels()[3].code


def test_catch_up_reports_are_split_per_day(fhir_standards, tmp_path, citizen, handed_over, guide):
    caseworker, _h = handed_over
    start = timezone.now() - datetime.timedelta(days=3)
    with time_machine.travel(start, tick=False):
        grant = grants.create_grant(caseworker, citizen, goals=[goal_input()], **grant_kwargs(
            decided_on=timezone.localdate(), starts_on=timezone.localdate(),
            follow_up_on=timezone.localdate() + datetime.timedelta(days=1)))
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        assess(guide, citizen, timezone.localdate(), {post(): 1})
    first, third = timezone.localtime(start).date(), timezone.localtime(start).date() + datetime.timedelta(days=2)
    call_command("ffb_report", since=first, out=tmp_path)
    days = sorted(p.name for p in tmp_path.iterdir())
    assert days == [first.isoformat(), third.isoformat()]
    for day in days:
        [file] = list((tmp_path / day).iterdir())
        assert citizen.cpr not in file.name
        bundle = json.loads(file.read_text(encoding="utf-8"))
        assert ffb_rules.validate(bundle) == []
        assert {e["resource"]["meta"]["lastUpdated"][:10] for e in bundle["entry"]} == {day}
    early = json.loads(next((tmp_path / days[0]).iterdir()).read_text(encoding="utf-8"))
    assert "ClinicalImpression" in json.dumps(early) and grant.case_number in json.dumps(early)
    assert len(by_profile(early)["informationGathering"]) == 1  # the decision's; the assessment came two days later


def test_every_bundle_of_a_generated_municipality_passes(fhir_standards, db, tmp_path):
    from traedesten.people.models import Person

    call_command("generate", citizens=150, years=2, seed=11, today=datetime.date(2026, 11, 20), password="pw-generated")
    persons = list(Person.objects.filter(grants__isnull=False, cpr__isnull=False).distinct())
    assert len(persons) >= 5
    for person in persons:
        bundle, errors = ffb_report.report(person)
        assert errors == [], (person.pk, errors[:5])
    call_command("ffb_report", since=datetime.date(2026, 10, 1), until=datetime.date(2026, 11, 20), out=tmp_path)
