"""What an uploaded file really is, found from its content, and whether the case record takes it.

The type comes from the bytes (puremagic's signatures), never from the name or the browser's say-so. Office files are
zip packages, which signatures alone cannot tell apart, so the package's own declaration decides (the main part's
content type in an Office Open XML package, the `mimetype` entry of an OpenDocument). Refused, each with a Danish
message: programs and scripts whatever they are called, a file whose name claims another type than its content,
macro-enabled office files, a PDF with JavaScript or other actions that run on opening (found with pypdf, which reads
compressed object streams too), an encrypted PDF that cannot be checked, and anything over the size limit. See
docs/decisions/0037-case-record-uploads-checked-by-content.md.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml":
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml":
        ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
OPENDOCUMENT = {"application/vnd.oasis.opendocument.text": "odt",
                "application/vnd.oasis.opendocument.spreadsheet": "ods",
                "application/vnd.oasis.opendocument.presentation": "odp"}
SIGNED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
ALLOWED = {**dict(OOXML.values()), **{ext: mime for mime, ext in OPENDOCUMENT.items()},
           **{ext: mime for mime, ext in SIGNED.items()}}
SAME_TYPE = {"jpeg": "jpg", "jpe": "jpg", "jfif": "jpg"}
"""Other names for the same type."""
PROGRAMS = ("executable", "dll", "elf", "mach-o", "script", "java class", "shockwave", "msi", "windows installer")
PROGRAM_EXTENSIONS = {"exe", "dll", "com", "bat", "cmd", "msi", "scr", "ps1", "vbs", "js", "jar", "sh", "app", "elf",
                      "bin", "apk", "lnk", "hta", "cpl", "pif", "wsf"}
PDF_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMedia"}
PDF_KEYS = {"/JS", "/JavaScript", "/RichMedia", "/EmbeddedFile", "/EmbeddedFiles"}


@dataclass(frozen=True)
class Accepted:
    content_type: str
    extension: str


def max_bytes() -> int:
    return int(getattr(settings, "TRAEDESTEN_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def allowed_names() -> str:
    return ", ".join(sorted({"PDF", "JPEG", "PNG", "Word (docx)", "Excel (xlsx)", "PowerPoint (pptx)",
                             "OpenDocument (odt, ods, odp)"}))


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="refused")


def _name_extension(name: str) -> str:
    extension = PurePath(name or "").suffix.lower().lstrip(".")
    return SAME_TYPE.get(extension, extension)


def _signature(data: bytes) -> tuple[str, str]:
    """puremagic's best guess as (extension, name), or ("", "") when nothing matches."""
    try:
        match = puremagic.magic_string(data)
    except puremagic.PureError:
        return "", ""
    if not match:
        return "", ""
    best = match[0]
    return best.extension.lower().lstrip("."), (best.name or "").lower()


def _looks_like_program(data: bytes, extension: str, name: str) -> bool:
    if data[:2] == b"MZ" or data[:4] in (b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"):
        return True
    if data[:2] == b"#!":
        return True
    return extension in PROGRAM_EXTENSIONS or any(word in name for word in PROGRAMS)


def _office(data: bytes) -> tuple[str, str]:
    """(extension, content type) of an office package, read from the package itself."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
        if any(n.lower().endswith("vbaproject.bin") or n.lower().startswith("macros/") or n.lower().startswith("basic/")
               for n in names):
            raise _refuse(_("Filen indeholder makroer (programkode). Gem den uden makroer, fx som PDF, og prøv igen."))
        if "mimetype" in names:
            declared = package.read("mimetype").decode("ascii", "replace").strip()
            if declared in OPENDOCUMENT:
                return OPENDOCUMENT[declared], declared
        if "[Content_Types].xml" in names:
            types = package.read("[Content_Types].xml").decode("utf-8", "replace")
            for main, (extension, content_type) in OOXML.items():
                if main in types:
                    return extension, content_type
            if "macroEnabled" in types:
                raise _refuse(_("Filen indeholder makroer (programkode). Gem den uden makroer, fx som PDF, og prøv "
                                "igen."))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, UnicodeError):
        pass
    raise _refuse(_("Filen er et zip-arkiv, ikke et dokument. Upload dokumenterne hver for sig."))


def _walk(value, seen: set[int], depth: int = 0):
    """Every dictionary reachable from `value`, each indirect object once."""
    if depth > 60:
        return
    if isinstance(value, IndirectObject):
        if value.idnum in seen:
            return
        seen.add(value.idnum)
        value = value.get_object()
    if isinstance(value, DictionaryObject):
        yield value
        for item in value.values():
            yield from _walk(item, seen, depth + 1)
    elif isinstance(value, ArrayObject):
        for item in value:
            yield from _walk(item, seen, depth + 1)


def pdf_runs_code(data: bytes) -> bool:
    """Whether the PDF carries JavaScript, an action that runs on opening, a launch of a program, or an embedded file.
    Raises ValidationError when the PDF cannot be read or checked."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse(_("PDF-filen er krypteret eller beskyttet med adgangskode og kan ikke kontrolleres. Gem den "
                            "uden beskyttelse og prøv igen."))
        seen: set[int] = set()
        roots = [reader.trailer["/Root"]]
        roots += [IndirectObject(num, 0, reader) for num in _object_numbers(reader)]
        for root in roots:
            for dictionary in _walk(root, seen):
                if PDF_KEYS & set(dictionary.keys()) or dictionary.get("/S") in PDF_ACTIONS:
                    return True
    except ValidationError:
        raise
    except (PdfReadError, KeyError, ValueError, TypeError, AttributeError, RecursionError, OSError) as exc:
        raise _refuse(_("PDF-filen er beskadiget og kan ikke læses. Gem den igen som PDF og prøv igen.")) from exc
    return False


def _object_numbers(reader: PdfReader) -> list[int]:
    """Every object in the file, also those no page refers to (which a viewer may still run)."""
    numbers = {num for generation in reader.xref.values() for num in generation}
    return sorted(numbers | set(reader.xref_objStm))


def check(data: bytes, name: str) -> Accepted:
    """What the file is, or a ValidationError with a Danish message saying why it is refused."""
    if len(data) > max_bytes():
        raise _refuse(_("Filen er for stor (%(size)s MB). Den største tilladte størrelse er %(max)s MB.") % {
            "size": f"{len(data) / 1024 / 1024:.1f}".replace(".", ","), "max": max_bytes() // (1024 * 1024)})
    if not data:
        raise _refuse(_("Filen er tom."))
    claimed = _name_extension(name)
    found, description = _signature(data)
    if _looks_like_program(data, found, description) or claimed in PROGRAM_EXTENSIONS:
        raise _refuse(_("Filen er et program eller et script og kan ikke gemmes i journalen, uanset hvad den hedder."))
    found = SAME_TYPE.get(found, found)
    if found in ("zip", "docx", "xlsx", "pptx", "xlsb", "odt", "ods", "odp") or data[:4] == b"PK\x03\x04":
        found, content_type = _office(data)
    elif found in SIGNED.values():
        content_type = ALLOWED[found]
    else:
        raise _refuse(_("Filtypen kan ikke gemmes i journalen. Tilladt er: %(types)s.") % {"types": allowed_names()})
    if claimed and claimed != found:
        raise _refuse(_("Filen hedder .%(claimed)s, men indholdet er %(found)s. Den gemmes ikke; tjek at det er den "
                        "rigtige fil.") % {"claimed": claimed, "found": found.upper()})
    if found == "pdf" and pdf_runs_code(data):
        raise _refuse(_("PDF-filen indeholder JavaScript, indlejrede filer eller handlinger, der kører, når den "
                        "åbnes. Den gemmes ikke. Udskriv den til en ny PDF og prøv igen."))
    return Accepted(content_type, found)
