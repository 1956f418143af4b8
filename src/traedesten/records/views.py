"""The case record's pages: the journal, a note and its history, documents and downloads, letters, the timeline.

Every page opens the citizen through the gate for the section it shows and writes one read event; every change goes
through traedesten.usecases.records.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from traedesten.accounts.http import AuthedRequest
from traedesten.accounts.models import AuditAction
from traedesten.courses.models import Course, Ending
from traedesten.gate import Action, Clearance, Section, record_read
from traedesten.gate.web import citizen
from traedesten.plans.models import Plan
from traedesten.plans.services import current_content
from traedesten.usecases import records as cases

from . import documents, letters, notes
from .forms import CorrectionForm, LetterForm, NoteForm, SearchForm, UploadForm
from .models import Document, Letter, Note


def _post(request: AuthedRequest):
    return request.POST if request.method == "POST" else None


@login_required
def journal(request: AuthedRequest, person_id: int) -> HttpResponse:
    """The citizen's journal: search it, and write a note."""
    write = request.method == "POST"
    c = citizen(request, person_id, Section.NOTES, action=Action.WRITE if write else Action.READ)
    may_sensitive = c.can(Section.SENSITIVE_NOTES, Action.WRITE)
    form = NoteForm(_post(request), person=c.person, may_mark_sensitive=may_sensitive)
    if write and form.is_valid():
        try:
            cases.write_note(c, **form.note(), happened_on=form.cleaned_data["happened_on"],
                             course=form.cleaned_data["course"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Notatet er gemt i journalen."))
            return redirect("records:journal", person_id=c.person.pk)
    search = SearchForm(request.GET or None)
    text, kind = (search.cleaned_data["q"], search.cleaned_data["kind"]) if search.is_valid() else ("", "")
    found = list(notes.current_notes(c.person, sensitive=c.can(Section.SENSITIVE_NOTES), text=text, kind=kind)[:200])
    record_read(c, "journal", c.shown(Section.IDENTITY, Section.NOTES, Section.SENSITIVE_NOTES),
                extra=[f"search:{len(text)}"] if text else ())
    return render(request, "records/journal.html", {
        "person": c.person, "form": form, "search": search, "notes": found, "searched": bool(text or kind),
        "can_write": c.can(Section.NOTES, Action.WRITE)})


@login_required
def note(request: AuthedRequest, person_id: int, note_id: int) -> HttpResponse:
    """One note with every version; a correction is a new version."""
    write = request.method == "POST"
    c = citizen(request, person_id, Section.NOTES, action=Action.WRITE if write else Action.READ)
    shown = get_object_or_404(Note, pk=note_id, person=c.person)
    cases.visible(c, shown)
    versions = notes.history(shown)
    current = versions[0]
    form = CorrectionForm(_post(request), initial={"note_text": current.text, "sensitive": current.sensitive})
    conflict = None
    if write and form.is_valid():
        d = form.cleaned_data
        try:
            seen = next((v for v in versions if str(v.pk) == request.POST.get("version_of")), current)
            cases.correct_note(c, seen, text=d["note_text"], reason=d["reason"], sensitive=d["sensitive"])
        except notes.NoteChanged as exc:
            conflict = exc.current
            form.add_error(None, _("En anden har rettet notatet imens. Læs den nye version, og ret igen, hvis det "
                                   "stadig er nødvendigt."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Rettelsen er gemt som en ny version. Den gamle version kan stadig ses."))
            return redirect("records:note", person_id=c.person.pk, note_id=shown.thread_id)
    record_read(c, "note", [Section.IDENTITY, Section.SENSITIVE_NOTES if current.sensitive else Section.NOTES],
                extra=[f"note:{current.thread_id}"])
    return render(request, "records/note.html", {
        "person": c.person, "current": current, "versions": versions, "form": form, "conflict": conflict,
        "can_write": c.can(Section.NOTES, Action.WRITE) and (
            not current.sensitive or c.can(Section.SENSITIVE_NOTES, Action.WRITE)),
        "may_sensitive": c.can(Section.SENSITIVE_NOTES, Action.WRITE)})


@login_required
def document_list(request: AuthedRequest, person_id: int) -> HttpResponse:
    """The citizen's documents and letters, and the upload form."""
    write = request.method == "POST"
    c = citizen(request, person_id, Section.DOCUMENTS, action=Action.WRITE if write else Action.READ)
    form = UploadForm(_post(request), request.FILES or None, person=c.person, authority=c.can(Section.AUTHORITY))
    if write and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        try:
            cases.upload_document(c, _read_upload(upload), name=upload.name, title=d["title"], course=d["course"],
                                  grant=d.get("grant"), handover=d.get("handover"))
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("Dokumentet er gemt."))
            return redirect("records:documents", person_id=c.person.pk)
    rows = Document.objects.filter(person=c.person).select_related("added_by", "course__offer", "letter")
    record_read(c, "documents", [Section.IDENTITY, Section.DOCUMENTS])
    return render(request, "records/documents.html", {
        "person": c.person, "form": form, "documents": rows, "can_write": c.can(Section.DOCUMENTS, Action.WRITE)},
        status=400 if write else 200)


def _read_upload(upload) -> bytes:
    """The upload's bytes, reading one byte past the limit at most (the check refuses it as too big)."""
    return upload.read(documents.uploads.max_bytes() + 1)


@login_required
@require_GET
def download(request: AuthedRequest, person_id: int, document_id: int) -> HttpResponse:
    """The file, for a user the gate opens the citizen's documents to; every download is in the audit log."""
    c = citizen(request, person_id, Section.DOCUMENTS)
    document = get_object_or_404(Document, pk=document_id, person=c.person)
    try:
        data = cases.open_document(c, document)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("records:documents", person_id=c.person.pk)
    record_read(c, "document_download", [Section.DOCUMENTS], extra=[f"document:{document.pk}"],
                action=AuditAction.EXPORT)
    inline = document.content_type == "application/pdf" or document.content_type.startswith("image/")
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        not (inline and request.GET.get("vis")), documents.download_name(document)) or "attachment"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _initial_letter_values(c: Clearance, template: letters.Template, course: Course | None) -> dict:
    today = timezone.localdate()
    values = {"date": today, "end_date": (course.closed_on if course and course.closed_on else today),
              "contact": c.staff.get_full_name() or c.staff.username}
    if template.code == "end_of_course" and c.can(Section.STORY):
        content = current_content(Plan.objects.filter(person=c.person).first())
        if content is not None:
            values["achieved"] = "\n".join(t for t in (content.citizen_has_done, content.citizen_can_do_after) if t)
    record = Ending.objects.filter(course=course).first() if (
        template.code == "end_of_course" and course is not None and c.can(Section.COURSES)) else None
    if record is not None:  # the ending record (decision 0052): what helped, and whom to call
        values["what_helped"] = record.what_helped
        values.setdefault("achieved", record.what_helped)
        if record.call_name or record.call_phone:
            values["contact"] = " ".join(filter(None, [record.call_name, record.call_phone and
                                                       _("på telefon %(phone)s") % {"phone": record.call_phone}]))
    return values


@login_required
def letter(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Write a letter from a template and send it; it is stored as a document."""
    write = request.method == "POST"
    c = citizen(request, person_id, Section.DOCUMENTS, action=Action.WRITE)
    available = letters.templates()
    template = available.get(request.GET.get("skabelon", "")) or available["end_of_course"]
    course = Course.objects.filter(person=c.person, pk=request.GET.get("forloeb") or 0).first() if (
        request.GET.get("forloeb", "").isdigit()) else None
    form = LetterForm(_post(request), template=template, person=c.person,
                      initial_values=_initial_letter_values(c, template, course), initial={"course": course})
    if write and form.is_valid():
        try:
            sent = cases.send_letter(c, template.code, form.values(), channel=form.cleaned_data["channel"],
                                     course=form.cleaned_data["course"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Brevet er sendt med Digital Post og gemt som dokument.")
                             if sent.channel == Letter.Channel.DIGITAL_POST else _("Brevet er gemt som dokument."))
            return redirect("records:documents", person_id=c.person.pk)
    record_read(c, "letter_form", [Section.IDENTITY, Section.DOCUMENTS])
    return render(request, "records/letter.html", {
        "person": c.person, "form": form, "template": template, "templates": available.values()})
