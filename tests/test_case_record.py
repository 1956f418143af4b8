"""The case record: journal notes with versioned corrections, documents, letters and the timeline."""

import base64
import datetime
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdfium2
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from conftest import pdf_bytes
from traedesten.accounts.models import AuditEvent, CaseloadAssignment, Department, Team
from traedesten.accounts.roles import Role
from traedesten.core.secure_files import new_key
from traedesten.courses import services as courses
from traedesten.courses.models import Activity, Offer
from traedesten.gate import Action, Section, clearance
from traedesten.people.consent import give_consent
from traedesten.people.gdpr import anonymise, closed_cases, subject_access
from traedesten.people.models import Person
from traedesten.records import notes
from traedesten.records.models import DigitalPostMessage, Document, Letter, Note
from traedesten.usecases import records as cases


def stored_files() -> list[Path]:
    root = Path(storages["case_files"].location)
    return [p for p in root.rglob("*") if p.is_file()]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(data))


@pytest.fixture
def citizen(guide, make_person, team):
    return make_person(guide, team=team, cpr="0707771237")


def cleared(user, person):
    return clearance(user, person)


# --- Notes -----------------------------------------------------------------------------------------------------------

def test_a_correction_is_a_new_version_and_the_old_one_stays(guide, citizen):
    c = cleared(guide, citizen)
    first = cases.write_note(c, kind="phone", text="Borgeren ringede om husleje.")
    second = cases.correct_note(c, first, text="Borgeren ringede om varmeregningen.", reason="Forkert regning")
    assert (second.version, second.first_id, second.corrects_id) == (2, first.pk, first.pk)
    assert [n.text for n in notes.history(first)] == ["Borgeren ringede om varmeregningen.",
                                                       "Borgeren ringede om husleje."]
    assert Note.objects.get(pk=first.pk).text == "Borgeren ringede om husleje."
    assert list(notes.current_notes(citizen, sensitive=True)) == [second]


def test_correcting_a_version_someone_else_corrected_is_refused(guide, citizen):
    c = cleared(guide, citizen)
    first = cases.write_note(c, kind="observation", text="Virkede træt.")
    cases.correct_note(c, first, text="Virkede træt og sulten.", reason="Tilføjet")
    with pytest.raises(notes.NoteChanged) as raised:
        cases.correct_note(c, first, text="Virkede glad.", reason="Min version")
    assert raised.value.current.version == 2
    assert Note.objects.filter(person=citizen).count() == 2


def test_sensitive_notes_need_their_own_section_and_stay_sensitive(guide, citizen, make_user, team):
    c = cleared(guide, citizen)
    secret = cases.write_note(c, kind="conversation", text="Om misbrug i familien.", sensitive=True)
    corrected = cases.correct_note(c, secret, text="Om misbrug hos en pårørende.", reason="Præcisering",
                                   sensitive=False)
    assert corrected.sensitive, "a correction cannot lift the flag"
    assert list(notes.current_notes(citizen, sensitive=False)) == []
    host = make_user(Role.HOST, [team])
    with pytest.raises(PermissionDenied):
        cases.visible(cleared(host, citizen), corrected)


def test_notes_are_searched_within_one_citizen(guide, citizen, make_person, team):
    other = make_person(guide, team=team)
    cases.write_note(cleared(guide, citizen), kind="phone", text="Talte om boligstøtte og budget.")
    cases.write_note(cleared(guide, citizen), kind="phone", text="Talte om fritidsjob.")
    cases.write_note(cleared(guide, other), kind="phone", text="Boligstøtte søgt.")
    found = notes.current_notes(citizen, sensitive=False, text="boligstøtte")
    assert [n.text for n in found] == ["Talte om boligstøtte og budget."]


def test_a_note_cannot_be_about_the_future_or_empty(guide, citizen):
    c = cleared(guide, citizen)
    with pytest.raises(ValidationError):
        cases.write_note(c, kind="phone", text="   ")
    with pytest.raises(ValidationError, match="fremtiden"):
        cases.write_note(c, kind="phone", text="Snart", happened_on=timezone.localdate() + datetime.timedelta(days=1))
    assert not Note.objects.exists()


@pytest.mark.parametrize("role", [Role.PEER, Role.VOLUNTEER, Role.VOLUNTEER_COORDINATOR, Role.HOST])
def test_roles_without_case_notes_never_get_notes_or_documents(role, make_user, team, guide, citizen):
    user = make_user(role, [team])
    CaseloadAssignment.objects.create(person=citizen, team=team, worker=user)
    c = cleared(user, citizen)
    assert not {Section.NOTES, Section.SENSITIVE_NOTES, Section.DOCUMENTS} & c.readable


def test_the_activity_form_writes_the_note_in_the_same_step(client, guide, citizen):
    client.force_login(guide)
    response = client.post(reverse("courses:activity", args=[citizen.pk]), {
        "kind": "coaching", "on": timezone.localdate().isoformat(), "attendance": "attended", "channel": "office",
        "delivered_hours": "1", "notat-note_kind": "conversation", "notat-note_text": "Vi talte om job og søvn."})
    assert response.status_code == 302, response.content[:2000]
    activity = Activity.objects.get(person=citizen)
    note = Note.objects.get(person=citizen)
    assert (note.activity, note.text) == (activity, "Vi talte om job og søvn.")


def test_the_activity_form_saves_nothing_when_the_note_is_refused(client, guide, citizen):
    client.force_login(guide)
    response = client.post(reverse("courses:activity", args=[citizen.pk]), {
        "kind": "coaching", "on": timezone.localdate().isoformat(), "attendance": "attended", "channel": "office",
        "delivered_hours": "1", "notat-note_kind": "conversation", "notat-note_text": "x" * 20001})
    assert response.status_code == 200
    assert not Activity.objects.filter(person=citizen).exists() and not Note.objects.exists()


def test_the_journal_page_writes_searches_and_corrects(client, guide, citizen):
    client.force_login(guide)
    url = reverse("records:journal", args=[citizen.pk])
    response = client.post(url, {"note_kind": "phone", "note_text": "Ringede om tandlæge.",
                                 "happened_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    note = Note.objects.get(person=citizen)
    page = client.get(url, {"q": "tandlæge"}).content.decode()
    assert "Ringede om tandlæge." in page
    assert "Ringede om tandlæge." not in client.get(url, {"q": "bolig"}).content.decode()
    note_url = reverse("records:note", args=[citizen.pk, note.pk])
    response = client.post(note_url, {"note_text": "Ringede om tandlæge og læge.", "reason": "Glemte lægen",
                                      "version_of": note.pk})
    assert response.status_code == 302
    history = client.get(note_url).content.decode()
    assert "Ringede om tandlæge og læge." in history and "Ringede om tandlæge." in history and "Glemte lægen" in history
    stale = client.post(note_url, {"note_text": "Min version", "reason": "Samtidig", "version_of": note.pk})
    assert "En anden har rettet notatet imens" in stale.content.decode()


# --- Documents -------------------------------------------------------------------------------------------------------

def _upload(client, person, data: bytes, name: str, title: str = "Brev fra lægen"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(reverse("records:documents", args=[person.pk]), {"file": upload, "title": title})


def _raw_pdf(extra: bytes) -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


REFUSED = {
    "oversize": (lambda: pdf_bytes() + b"\n%" + b"0" * (2 * 1024 * 1024), "lægen.pdf", "Filen er for stor"),
    "wrong type": (lambda: "Kære kommune, tekst i en tekstfil.".encode(), "brev.txt", "Filtypen kan ikke gemmes"),
    "renamed executable": (lambda: b"MZ\x90\x00\x03" + b"\x00" * 58 + b"PE\x00\x00", "lægeerklæring.pdf",
                           "program eller et script"),
    "renamed script": (lambda: b"#!/bin/sh\nrm -rf /\n", "billede.png", "program eller et script"),
    "lies about its type": (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "erklæring.pdf",
                            "Filen hedder .pdf, men indholdet er PNG"),
    "pdf with javascript": (lambda: _raw_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "a.pdf",
                            "JavaScript"),
    "pdf with hidden javascript": (lambda: _raw_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
                                   "a.pdf", "JavaScript"),
    "pdf that launches a program": (lambda: _raw_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>"), "a.pdf",
                                    "JavaScript"),
    "broken pdf": (lambda: b"%PDF-1.4\nnot really a pdf", "a.pdf", "beskadiget"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_upload_gives_a_danish_message_and_stores_nothing(case, client, guide, citizen, settings):
    settings.TRAEDESTEN_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    make, name, message = REFUSED[case]
    before = stored_files()
    client.force_login(guide)
    response = _upload(client, citizen, make(), name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files() == before


def test_an_accepted_upload_is_stored_privately_and_every_download_is_audited(client, guide, citizen, settings):
    settings.TRAEDESTEN_FILE_KEY = ""
    data = pdf_bytes("Erklæring")
    client.force_login(guide)
    response = _upload(client, citizen, data, "0707771237 erklæring.pdf", title="Lægeerklæring 0707771237")
    assert response.status_code == 302
    document = Document.objects.get(person=citizen)
    assert (document.content_type, document.extension, document.size) == ("application/pdf", "pdf", len(data))
    assert "0707771237" not in document.stored_as
    path = Path(storages["case_files"].path(document.stored_as))
    assert path.stat().st_mode & 0o777 == 0o600
    url = reverse("records:download", args=[citizen.pk, document.pk])
    response = client.get(url)
    assert response.status_code == 200 and response.content == data
    assert "0707771237" not in response["Content-Disposition"]
    assert response["Cache-Control"].startswith("no-store")
    event = AuditEvent.objects.filter(person_id=citizen.pk, section="document_download").get()
    assert f"document:{document.pk}" in event.fields


def test_stored_files_are_encrypted_with_the_file_key(guide, citizen, settings):
    settings.TRAEDESTEN_FILE_KEY = new_key()
    data = pdf_bytes("Hemmelig erklaering")
    document = cases.upload_document(cleared(guide, citizen), data, name="a.pdf", title="Erklæring")
    raw = Path(storages["case_files"].path(document.stored_as)).read_bytes()
    assert document.encrypted and data not in raw and b"Hemmelig" not in raw
    assert cases.open_document(cleared(guide, citizen), document) == data


def test_a_changed_file_is_not_handed_out(guide, citizen, settings):
    settings.TRAEDESTEN_FILE_KEY = ""
    document = cases.upload_document(cleared(guide, citizen), pdf_bytes(), name="a.pdf", title="Erklæring")
    Path(storages["case_files"].path(document.stored_as)).write_bytes(pdf_bytes("Noget andet"))
    with pytest.raises(ValidationError, match="ændret"):
        cases.open_document(cleared(guide, citizen), document)


def test_office_documents_and_images_are_accepted_by_content(guide, citizen):
    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
           b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    c = cleared(guide, citizen)
    sheet = cases.upload_document(c, book.getvalue(), name="budget.xlsx", title="Budget")
    image = cases.upload_document(c, png, name="foto", title="Foto af brev")
    assert (sheet.extension, image.extension, image.content_type) == ("xlsx", "png", "image/png")


def test_a_macro_enabled_office_file_is_refused(guide, citizen):
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/vbaProject.bin", b"\x00macro")
    with pytest.raises(ValidationError, match="makroer"):
        cases.upload_document(cleared(guide, citizen), package.getvalue(), name="a.docx", title="Makro")
    assert not Document.objects.exists()


# --- Letters ---------------------------------------------------------------------------------------------------------

def _closed_course(guide, person, team):
    start = timezone.localdate() - datetime.timedelta(days=60)
    course = courses.start_course(guide, person, Offer.objects.get(name="Din Indgang – forløb"), start=start, team=team)
    return courses.close_course(guide, course, closed_on=start + datetime.timedelta(days=50),
                                destination="no_further_help", expected_version=course.version)


def test_an_end_of_course_letter_is_a_pdf_document_sent_by_digital_post(guide, citizen, team):
    course = _closed_course(guide, citizen, team)
    letter = cases.send_letter(cleared(guide, citizen), "end_of_course", {
        "end_date": course.closed_on, "achieved": "Jeg åbner min post selv nu.", "what_helped": "At du ringede.",
        "contact": "Guide Hansen"},
        channel=Letter.Channel.DIGITAL_POST, course=course)
    text = pdf_text(cases.open_document(cleared(guide, citizen), letter.document))
    for expected in ("Dit forløb hos os er slut", "Jeg åbner min post selv nu.", "komme tilbage",
                     f"{course.closed_on.day}. "):
        assert expected in " ".join(text.split()), expected
    assert "0707771237" not in text
    message = DigitalPostMessage.objects.get()
    assert (message.person, message.document, letter.receipt) == (citizen, letter.document, f"fake-{message.pk}")


def test_a_letter_is_a_snapshot(guide, citizen, team):
    letter = cases.send_letter(cleared(guide, citizen), "invitation", {
        "date": timezone.localdate(), "time": "10.00", "place": "Jobcentret", "purpose": "Din plan"},
        channel=Letter.Channel.PAPER)
    before = cases.open_document(cleared(guide, citizen), letter.document)
    citizen.first_name = "Anne"
    citizen.save()
    letter.refresh_from_db()
    assert letter.body[0]["text"] == "Kære Mette"
    assert cases.open_document(cleared(guide, citizen), letter.document) == before


def test_a_decision_letter_carries_the_complaint_guide(guide, citizen):
    letter = cases.send_letter(cleared(guide, citizen), "decision", {
        "about": "bostøtte", "decision": "Du får bostøtte 3 timer om ugen.", "reasons": "Du har brug for hjælp.",
        "legal_basis": "serviceloven § 85"}, channel=Letter.Channel.DIGITAL_POST)
    text = " ".join(pdf_text(cases.open_document(cleared(guide, citizen), letter.document)).split())
    assert "Sådan klager du" in text and "4 uger" in text and "Ankestyrelsen" in text


def test_a_letter_missing_a_field_or_to_a_citizen_without_cpr_stores_nothing(guide, citizen, make_person, team):
    with pytest.raises(ValidationError, match="Udfyld"):
        cases.send_letter(cleared(guide, citizen), "invitation", {"date": timezone.localdate()},
                          channel=Letter.Channel.DIGITAL_POST)
    nameless = make_person(guide, team=team)
    with pytest.raises(ValidationError, match="Digital Post"):
        cases.send_letter(cleared(guide, nameless), "invitation", {
            "date": timezone.localdate(), "time": "10", "place": "Her", "purpose": "Snak"},
            channel=Letter.Channel.DIGITAL_POST)
    assert not Document.objects.exists() and not Letter.objects.exists()


def test_a_failed_delivery_leaves_no_letter_and_no_file(guide, citizen, settings):
    settings.TRAEDESTEN_DIGITAL_POST_BACKEND = "tests.test_case_record.BrokenDigitalPost"
    before = stored_files()
    with pytest.raises(ConnectionError):
        cases.send_letter(cleared(guide, citizen), "invitation", {
            "date": timezone.localdate(), "time": "10", "place": "Her", "purpose": "Snak"},
            channel=Letter.Channel.DIGITAL_POST)
    assert not Document.objects.exists() and not Letter.objects.exists()
    assert stored_files() == before


class BrokenDigitalPost:
    def send(self, person, subject, document, pdf):
        raise ConnectionError("Digital Post is down")


# --- The timeline ----------------------------------------------------------------------------------------------------

def test_the_timeline_shows_every_kind_newest_first_and_pages(client, guide, citizen, team):
    course = courses.start_course(guide, citizen, Offer.objects.get(name="Din Indgang – forløb"),
                                  start=timezone.localdate() - datetime.timedelta(days=40), team=team)
    for day in range(25):
        courses.record_activity(guide, citizen, kind="coaching", course=course, topic=f"Emne {day}",
                                on=timezone.localdate() - datetime.timedelta(days=30 - day), delivered_hours=Decimal(1),
                                cap_reason="Tæt forløb")
    c = cleared(guide, citizen)
    cases.write_note(c, kind="phone", text="Nyeste notat")
    cases.upload_document(c, pdf_bytes(), name="a.pdf", title="Nyeste dokument")
    client.force_login(guide)
    url = reverse("overview:timeline", args=[citizen.pk])
    first = client.get(url).content.decode()
    assert "Nyeste notat" in first and "Nyeste dokument" in first and "Emne 24" in first
    assert "Emne 0<" not in first and "side=2" in first
    second = client.get(url, {"side": 2}).content.decode()
    assert "Emne 0" in second and "Nyeste notat" not in second


def test_the_timeline_leaves_out_what_the_viewer_may_not_read(client, guide, citizen, make_user, team):
    c = cleared(guide, citizen)
    cases.write_note(c, kind="phone", text="Almindeligt notat")
    cases.write_note(c, kind="phone", text="Følsomt notat om helbred", sensitive=True)
    courses.record_activity(guide, citizen, kind="coaching", on=timezone.localdate(), topic="Samtale om job",
                            delivered_hours=Decimal(1))
    peer = make_user(Role.PEER, [team])
    CaseloadAssignment.objects.create(person=citizen, team=team, worker=peer)
    client.force_login(peer)
    page = client.get(reverse("overview:timeline", args=[citizen.pk])).content.decode()
    assert "Samtale om job" in page and "notat" not in page.lower()
    client.force_login(guide)
    page = client.get(reverse("overview:timeline", args=[citizen.pk])).content.decode()
    assert "Almindeligt notat" in page and "Følsomt notat om helbred" in page
    read = AuditEvent.objects.filter(person_id=citizen.pk, section="timeline", user=guide).get()
    assert {"notes", "sensitive_notes", "courses"} <= set(read.fields)


# --- GDPR ------------------------------------------------------------------------------------------------------------

def test_the_subject_access_export_holds_notes_documents_letters_and_their_files(guide, citizen):
    c = cleared(guide, citizen)
    cases.write_note(c, kind="phone", text="Notat til indsigt")
    data = pdf_bytes("Indsigtsbilag")
    cases.upload_document(c, data, name="a.pdf", title="Bilag til indsigt")
    cases.send_letter(c, "invitation", {"date": timezone.localdate(), "time": "10", "place": "Huset",
                                        "purpose": "Indsigtsmøde"}, channel=Letter.Channel.PAPER)
    export = subject_access(citizen)
    text = json.dumps(export, default=str, ensure_ascii=False)
    for expected in ("Notat til indsigt", "Bilag til indsigt", "Indsigtsmøde"):
        assert expected in text, expected
    files = {f["title"]: base64.b64decode(f["base64"]) for f in export["case_files"]}
    assert files["Bilag til indsigt"] == data and len(files) == 2


def test_retention_removes_documents_letters_their_files_and_the_words_of_notes(guide, citizen, team,
                                                                               django_capture_on_commit_callbacks):
    c = cleared(guide, citizen)
    note = cases.write_note(c, kind="phone", text="Gammelt notat")
    document = cases.upload_document(c, pdf_bytes(), name="a.pdf", title="Gammelt bilag")
    letter = cases.send_letter(c, "invitation", {"date": timezone.localdate(), "time": "10", "place": "Huset",
                                                 "purpose": "Gammelt møde"}, channel=Letter.Channel.DIGITAL_POST)
    paths = [Path(storages["case_files"].path(d.stored_as)) for d in (document, letter.document)]
    assert all(p.exists() for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        anonymise(citizen)
    assert not Document.objects.filter(person=citizen).exists() and not Letter.objects.exists()
    assert not any(p.exists() for p in paths)
    note.refresh_from_db()
    assert (note.text, note.kind) == ("", "phone")


def test_a_recent_note_keeps_a_closed_case_from_retention(guide, citizen, team):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=365 * 7 + 2)
    course = courses.start_course(guide, citizen, Offer.objects.get(name="Din Indgang – forløb"), start=long_ago)
    courses.close_course(guide, course, closed_on=long_ago + datetime.timedelta(days=60),
                         destination="no_further_help", expected_version=course.version)
    Person.objects.filter(pk=citizen.pk).update(created_at=timezone.now() - datetime.timedelta(days=365 * 8))
    assert list(closed_cases(5, today)) == [citizen]
    cases.write_note(cleared(guide, citizen), kind="phone", text="Ringede igen")
    assert list(closed_cases(5, today)) == []


# --- Other departments -----------------------------------------------------------------------------------------------

def test_another_department_reads_notes_and_documents_only_by_consent_and_never_sensitive_notes(
        client, guide, citizen, make_user):
    jobcentre = Team.objects.create(name="Jobcenter", department=Department.objects.get(code="jobcentre"))
    caseworker = make_user(Role.AUTHORITY, [jobcentre])
    CaseloadAssignment.objects.create(person=citizen, team=jobcentre, worker=caseworker)
    c = cleared(guide, citizen)
    plain = cases.write_note(c, kind="phone", text="Almindeligt notat")
    secret = cases.write_note(c, kind="phone", text="Følsomt notat", sensitive=True)
    client.force_login(caseworker)
    journal = reverse("records:journal", args=[citizen.pk])
    assert client.get(journal).status_code == 403
    give_consent(guide, citizen, recipient=Department.objects.get(code="jobcentre"), scope=["notes", "documents"],
                 purpose="Samarbejde om job", given_on=timezone.localdate())
    page = client.get(journal).content.decode()
    assert "Almindeligt notat" in page and "Følsomt notat" not in page
    assert client.get(reverse("records:note", args=[citizen.pk, plain.pk])).status_code == 200
    assert client.get(reverse("records:note", args=[citizen.pk, secret.pk])).status_code == 403
    assert client.post(journal, {"note_kind": "phone", "note_text": "Fra jobcentret",
                                 "happened_on": timezone.localdate().isoformat()}).status_code == 403
    assert not cleared(caseworker, citizen).can(Section.NOTES, Action.WRITE)


def test_a_damaged_file_does_not_stop_the_subject_access_export(guide, citizen, settings):
    settings.TRAEDESTEN_FILE_KEY = ""
    c = cleared(guide, citizen)
    cases.write_note(c, kind="phone", text="Notat der skal med")
    document = cases.upload_document(c, pdf_bytes(), name="a.pdf", title="Beskadiget bilag")
    Path(storages["case_files"].path(document.stored_as)).write_bytes(b"noget andet")
    export = subject_access(citizen)
    assert "Notat der skal med" in json.dumps(export, default=str, ensure_ascii=False)
    (entry,) = export["case_files"]
    assert "ændret" in entry["error"] and "base64" not in entry
