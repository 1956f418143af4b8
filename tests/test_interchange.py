"""JSON Lines interchange: all or nothing, errors by line, idempotent, and export → import reproduces the data."""

import hashlib
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from conftest import pdf_bytes
from traedesten.courses.models import Activity, Course
from traedesten.frontdoor.models import Contact
from traedesten.gate import clearance
from traedesten.interop import records
from traedesten.interop.importer import import_lines
from traedesten.interop.models import ExternalId
from traedesten.measures.models import Administration
from traedesten.people.models import Person
from traedesten.plans.models import PlanVersion
from traedesten.records.models import Document, Note
from traedesten.usecases import records as case_record

DOCS = Path(__file__).resolve().parent.parent / "docs" / "interchange.md"


def line(**record) -> str:
    return json.dumps(record, ensure_ascii=False)


GOOD = [
    line(type="header", format="traedesten-jsonl", version=1, source="Nexus"),
    line(type="person", id="N-1", cpr="0101901234", first_name="Ane", last_name="Dam"),
    line(type="person", id="N-2", pseudonymous=True, sex="male", birth_year=1970),
    line(type="contact", id="H-1", at="2025-03-03T10:15:00+01:00", origin="partner", partner="Jobcenter", person="N-1",
         channel="phone", outcome="guide_conversation"),
    line(type="course", id="F-1", person="N-1", offer="Din Indgang – forløb", start="2025-03-10"),
    line(type="closing", course="F-1", on="2025-06-01", destination="civil_society"),
    line(type="course", id="F-2", person="N-1", offer="Din Indgang – forløb", start="2025-09-01", previous="F-1"),
    line(type="activity", id="A-1", person="N-1", course="F-1", kind="coaching", on="2025-04-01", hours=1.5),
    line(type="measurement", id="M-1", person="N-1", course="F-1", instrument="ORS", on="2025-04-01",
         items={"individual": 4, "interpersonal": 5, "social": 6, "overall": 5.5}),
    line(type="plan", id="P-1", person="N-1", started_on="2025-03-10",
         versions=[{"number": 1, "content": {"reason": "Vil gerne i gang", "dreams": ["Et job"]}}]),
    line(type="grant", id="B-1", person="N-2", legal_basis="SEL §85", decided_on="2025-05-01", starts_on="2025-05-05",
         hours_per_week=3),
    line(type="shadow", course="F-1", would_have="§85 bostøtte, 3-6 timer/uge"),
]


def test_a_file_imports_completely(db):
    report = import_lines(GOOD)
    assert report.ok, report.errors
    ane = Person.objects.get(cpr="0101901234")
    assert (ane.birth_date.isoformat(), ane.sex) == ("1990-01-01", "female")
    first, second = Course.objects.filter(person=ane).order_by("start")
    assert (first.status, first.destination, second.previous_id) == ("closed", "civil_society", first.pk)
    assert Contact.objects.get().partner.name == "Jobcenter"
    assert Administration.objects.get().total == 20.5
    assert PlanVersion.objects.get().content["dreams"] == ["Et job"]
    assert first.shadow.would_have.name == "§85 bostøtte, 3-6 timer/uge"


def test_imported_rows_name_who_imported_them(guide):
    assert import_lines(GOOD, actor=guide).ok
    assert (Activity.objects.get().registered_by, Administration.objects.get().administered_by,
            Contact.objects.get().registered_by) == (guide, guide, guide)


def test_hours_on_an_activity_the_citizen_missed_are_not_delivered(db):
    missed = [line(type="activity", id="A-2", person="N-1", course="F-1", kind="coaching", on="2025-04-08", hours=2,
                   attendance="no_show"),
              line(type="activity", id="A-3", person="N-1", course="F-1", kind="coaching", on="2025-04-15", hours=1,
                   attendance="cancelled")]
    assert import_lines(GOOD + missed).ok
    delivered = dict(Activity.objects.values_list("attendance", "delivered_hours"))
    assert delivered == {"attended": 1.5, "no_show": 0, "cancelled": 0}


def test_a_return_must_follow_the_same_citizens_closed_course(db):
    assert import_lines(GOOD).ok
    links = [
        line(type="course", id="F-3", person="N-2", offer="Din Indgang – forløb", start="2025-10-01", previous="F-1"),
        line(type="course", id="F-4", person="N-1", offer="Gruppeforløb", start="2025-10-01", previous="F-2"),
        line(type="course", id="F-5", person="N-2", offer="Individuelt §82b-forløb (6 måneder)", start="2025-05-31",
             previous="F-6"),
        line(type="course", id="F-6", person="N-2", offer="Din Indgang – forløb", start="2025-05-01"),
        line(type="closing", course="F-6", on="2025-06-01", destination="other"),
    ]
    report = import_lines(links)
    reasons = {e.line: e.reason for e in report.errors if e.field == "previous"}
    assert reasons == {1: "Det tidligere forløb tilhører en anden borger.",
                       2: "Det tidligere forløb er ikke afsluttet. En genhenvendelse følger et afsluttet forløb.",
                       3: "Det tidligere forløb blev afsluttet 01.06.2025, efter det nye forløbs start."}
    on_the_day = links[2].replace("2025-05-31", "2025-06-01")
    assert import_lines([on_the_day] + links[3:]).ok


def test_importing_the_same_file_again_changes_nothing(db):
    import_lines(GOOD)
    again = import_lines(GOOD)
    assert again.ok and sum(again.created.values()) == 0 and sum(again.updated.values()) == 0
    assert again.unchanged["activity"] == 1 and again.rows == import_lines(GOOD).rows
    assert (Person.objects.count(), Course.objects.count(), Activity.objects.count(), PlanVersion.objects.count()) == (2, 2, 1, 1)


def test_a_changed_record_is_written_and_the_others_are_only_compared(db):
    assert import_lines(GOOD).ok
    changed = [text.replace('"hours": 1.5', '"hours": 2.25').replace('"first_name": "Ane"', '"first_name": "Anne"')
               for text in GOOD]
    report = import_lines(changed)
    assert report.ok and (report.updated["activity"], report.unchanged["activity"]) == (1, 0)
    assert (report.updated["person"], report.unchanged["person"]) == (1, 1)
    assert Activity.objects.get().delivered_hours == Decimal("2.25")
    assert Person.objects.get(cpr="0101901234").first_name == "Anne"
    assert (report.updated["course"], report.unchanged["course"]) == (0, 2)


def test_every_error_is_reported_with_its_line_and_nothing_is_saved(db):
    bad = GOOD[:4] + [
        "{not json",
        line(type="person", id="N-3", cpr="3213901234", first_name="Ugyldig"),
        line(type="person", id="N-1", first_name="Dublet"),
        line(type="course", id="F-9", person="N-404", offer="Din Indgang – forløb", start="2025-01-01"),
        line(type="activity", id="A-9", person="N-1", kind="dancing", on="2025-13-01"),
        line(type="grant", id="B-9", person="N-2", legal_basis="SEL §85", decided_on="2025-05-01", starts_on="2025-04-01"),
    ]
    report = import_lines(bad)
    assert not report.ok
    found = {(e.line, e.field) for e in report.errors}
    assert {(5, ""), (6, "cpr"), (7, "id"), (8, "person"), (9, "kind"), (9, "on"), (10, "")} <= found
    assert "CPR-nummeret indeholder ikke en gyldig fødselsdato" in " ".join(str(e) for e in report.errors)
    assert Person.objects.count() == 0 and Contact.objects.count() == 0


def test_lines_checked_together_still_count_one_record_per_line(db):
    """A record split over two lines, and two records on one line, are errors on those lines, in any chunk."""
    split = line(type="person", id="N-5", first_name="Delt")
    lines = GOOD[:3] + [split[:30], split[30:], GOOD[1].replace("N-1", "N-6") + "," + GOOD[2].replace("N-2", "N-7"),
                        "", line(type="person", id="N-8", first_name="Sidst")]
    report = import_lines(lines)
    assert {e.line for e in report.errors} == {4, 5, 6}
    assert all(e.reason == "linjen er ikke gyldig JSON" for e in report.errors)
    assert Person.objects.count() == 0
    pair = GOOD[1].replace("N-1", "N-6").replace("0101901234", "0202901234") + "," + GOOD[2].replace("N-2", "N-7")
    assert [e.line for e in import_lines(GOOD[:3] + [pair]).errors] == [4]  # the array parses; its length does not match
    assert import_lines(GOOD[:3] + ["", line(type="person", id="N-8", first_name="Sidst")]).ok
    assert Person.objects.count() == 3


def test_the_command_reports_errors_and_exits_non_zero(db, tmp_path):
    path = tmp_path / "fejl.jsonl"
    path.write_text(GOOD[1] + "\n" + line(type="course", id="F-1", person="X", offer="Ukendt", start="2025-01-01") + "\n")
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 fejl"):
        call_command("import", str(path), stdout=out)
    assert "linje 2: offer: ukendt tilbud »Ukendt«" in out.getvalue()
    assert Person.objects.count() == 0


def test_export_then_import_into_an_empty_installation_gives_the_same_file(db, tmp_path):
    assert import_lines(GOOD).ok
    first = tmp_path / "a.jsonl"
    call_command("export", "--out", str(first), stdout=io.StringIO())
    exported = first.read_text().splitlines()
    assert all(json.loads(text)["type"] in records.TYPES for text in exported)
    report = import_lines(exported)
    assert report.ok and sum(report.created.values()) == 0
    body = [re.sub(r'"exported_at":"[^"]*"', "", text) for text in exported]
    second = tmp_path / "b.jsonl"
    call_command("export", "--out", str(second), stdout=io.StringIO())
    assert sorted(body) == sorted(re.sub(r'"exported_at":"[^"]*"', "", t) for t in second.read_text().splitlines())


def test_the_documented_schema_is_the_one_the_importer_uses():
    text = DOCS.read_text(encoding="utf-8")
    block = text.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(block) == records.json_schema()


def test_an_import_leaves_garbage_collection_as_it_found_it(db):
    import gc

    assert gc.isenabled()
    assert import_lines(GOOD).ok and gc.isenabled()
    assert not import_lines(["{not json"]).ok and gc.isenabled()


def test_notes_and_documents_round_trip_with_the_file_as_a_reference(guide, make_person, team, tmp_path):
    person = make_person(guide, team=team, cpr="0101901234")
    c = clearance(guide, person)
    note = case_record.write_note(c, kind="phone", text="Første udgave", sensitive=True)
    case_record.correct_note(c, note, text="Rettet udgave", reason="Stavefejl")
    data = pdf_bytes("Bilag")
    case_record.upload_document(c, data, name="bilag.pdf", title="Bilag fra lægen")
    first = tmp_path / "a.jsonl"
    call_command("export", "--out", str(first), stdout=io.StringIO())
    lines = first.read_text().splitlines()
    kinds = {r["type"]: r for r in map(json.loads, lines) if r["type"] in ("note", "document")}
    assert data not in first.read_bytes() and "base64" not in json.dumps(kinds["document"])
    assert [v["text"] for v in kinds["note"]["versions"]] == ["Første udgave", "Rettet udgave"]
    assert (tmp_path / "a-filer" / kinds["document"]["file"]).read_bytes() == data

    # The case record is gone; the import brings back the notes with their history and the same file.
    Document.objects.all().delete()
    Note.objects.filter(first__isnull=False).delete()
    Note.objects.all().delete()
    ExternalId.objects.filter(kind__in=["note", "document"]).delete()
    report = import_lines(lines, files=tmp_path / "a-filer")
    assert report.ok, report.errors
    assert (report.created["note"], report.created["document"]) == (1, 1)
    versions = Note.objects.filter(person=person).order_by("version")
    assert [(v.version, v.text, v.sensitive) for v in versions] == [(1, "Første udgave", True),
                                                                     (2, "Rettet udgave", True)]
    assert versions[1].corrects_id == versions[0].pk and versions[1].correction_reason == "Stavefejl"
    copy = Document.objects.get(person=person)
    with storages["case_files"].open(copy.stored_as, "rb") as handle:
        assert handle.read() == data
    second = tmp_path / "b.jsonl"
    call_command("export", "--out", str(second), stdout=io.StringIO())
    same = [re.sub(r'"exported_at":"[^"]*"', "", t) for t in lines]
    assert sorted(same) == sorted(re.sub(r'"exported_at":"[^"]*"', "", t) for t in second.read_text().splitlines())
    again = import_lines(lines, files=tmp_path / "a-filer")
    assert again.ok and sum(again.created.values()) == 0


def test_a_document_whose_file_is_missing_or_lies_is_refused_by_line(db, tmp_path):
    folder = tmp_path / "filer"
    folder.mkdir()
    (folder / "d1.pdf").write_bytes(b"MZ\x90\x00" + b"\x00" * 60)
    fake = b"MZ\x90\x00" + b"\x00" * 60
    report = import_lines([GOOD[1],
                           line(type="document", id="D-1", person="N-1", title="Bilag", content_type="application/pdf",
                                size=len(fake), sha256=hashlib.sha256(fake).hexdigest(), file="d1.pdf"),
                           line(type="document", id="D-2", person="N-1", title="Bilag", content_type="application/pdf",
                                size=3, sha256="0" * 64, file="findes-ikke.pdf")], files=folder)
    assert [(e.line, e.field) for e in report.errors] == [(2, "file"), (3, "file")]
    assert "program" in report.errors[0].reason and "findes ikke" in report.errors[1].reason
    assert Person.objects.count() == 0
