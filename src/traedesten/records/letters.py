"""Letters to the citizen: templates as data (data/letters.json), written in plain Danish, rendered to a PDF that is
stored as a document and sent through the Digital Post adapter.

A letter is a snapshot: the values it was written from, the text as sent and the PDF are kept, so later changes to
the case never change a sent letter.
"""

import datetime
import json
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.models import AuditAction
from traedesten.plans.pdf import CitizenPdf

from . import documents, uploads
from .digital_post import adapter
from .models import DocumentKind, Letter

TEMPLATES_FILE = Path(__file__).parent / "data" / "letters.json"
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december"]
MAX_FIELD = {"line": 200, "text": 4000, "date": 10}


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str


@dataclass(frozen=True)
class Template:
    code: str
    name: str
    subject: str
    fields: tuple[Field, ...]
    paragraphs: tuple[str, ...]


@cache
def templates() -> dict[str, Template]:
    raw = json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))
    return {code: Template(code, t["name"], t["subject"], tuple(Field(**f) for f in t["fields"]),
                           tuple(t["paragraphs"])) for code, t in raw.items()}


def danish_date(day: datetime.date) -> str:
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def clean_values(template: Template, values: dict) -> dict[str, str]:
    """The template's fields as text, each filled in; a Danish message names the first that is not."""
    cleaned = {}
    for field in template.fields:
        value = values.get(field.name)
        if isinstance(value, datetime.date):
            value = danish_date(value)
        value = (str(value) if value is not None else "").strip()
        if field.kind != "text":
            value = " ".join(value.split())
        if not value:
            raise ValidationError(_("Udfyld feltet “%(label)s”.") % {"label": field.label})
        if len(value) > MAX_FIELD.get(field.kind, 200) + 40:
            raise ValidationError(_("Feltet “%(label)s” er for langt.") % {"label": field.label})
        cleaned[field.name] = value
    return cleaned


def compose(template: Template, values: dict[str, str]) -> tuple[str, list[dict]]:
    """The subject and the paragraphs ([{"heading": bool, "text": str}]) with the values put in."""
    formatter = string.Formatter()

    def fill(text: str) -> str:
        return "".join(literal + (values.get(name, "") if name else "")
                       for literal, name, _spec, _conv in formatter.parse(text))

    body = []
    for paragraph in template.paragraphs:
        heading = paragraph.startswith("# ")
        body.append({"heading": heading, "text": fill(paragraph[2:] if heading else paragraph)})
    return fill(template.subject), body


def render_pdf(sender_unit: str, sent_on: datetime.date, subject: str, body: list[dict]) -> bytes:
    pdf = CitizenPdf(subject, side=25, top=20)
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 6, sender_unit, new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.cell(0, 6, danish_date(sent_on), new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.ln(8)
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, subject, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for paragraph in body:
        pdf.set_font("DejaVu", "B" if paragraph["heading"] else "", 13 if paragraph["heading"] else 12)
        pdf.multi_cell(0, 7, paragraph["text"], new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2 if paragraph["heading"] else 4)
    return bytes(pdf.output())


def send(actor, person, template_code: str, values: dict, *, channel: str, course=None, grant=None,
         today: datetime.date) -> Letter:
    """Write the letter, store its PDF as a document and send it. All or nothing: a failed delivery stores nothing."""
    template = templates().get(template_code)
    if template is None:
        raise ValidationError(_("Vælg en brevskabelon."))
    if channel not in Letter.Channel.values:
        raise ValidationError(_("Vælg, hvordan brevet sendes."))
    if channel == Letter.Channel.DIGITAL_POST and not person.cpr:
        raise ValidationError(_("Borgeren har intet CPR-nummer og kan ikke få Digital Post. Vælg at udlevere brevet "
                                "eller sende det med almindelig post."))
    for record in (course, grant):
        if record is not None and record.person_id != person.pk:
            raise ValidationError(_("Det valgte tilknyttede element hører til en anden borger."))
    filled = clean_values(template, values)
    sender = actor.get_full_name() or actor.username
    filled |= {"first_name": person.first_name or _("borger"), "sender": sender}
    subject, body = compose(template, filled)
    pdf = render_pdf(_("Trædesten · kommunens voksenområde"), today, subject, body)
    document = None
    try:
        with transaction.atomic():
            document = documents.add(actor, person, pdf, name="brev.pdf", title=subject, kind=DocumentKind.LETTER,
                                     course=course, grant=grant, checked=uploads.Accepted("application/pdf", "pdf"))
            letter = Letter.objects.create(person=person, template=template.code, subject=subject, body=body,
                                           values=filled, document=document, course=course, grant=grant,
                                           channel=channel, written_by=actor)
            if channel == Letter.Channel.DIGITAL_POST:
                letter.receipt = adapter().send(person, subject, document, pdf)[:100]
                letter.save(update_fields=["receipt"])
            audit.record(actor, AuditAction.CREATE, person=person, section="letter", fields=[template.code, channel])
    except BaseException:
        if document is not None:
            documents.storage().delete(document.stored_as)
        raise
    return letter
