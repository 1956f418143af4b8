from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from traedesten.accounts import audit
from traedesten.accounts.access import Access, caseload_persons, require_caseworker
from traedesten.accounts.models import AuditAction
from traedesten.people.views import open_person

from . import services
from .forms import CloseCourseForm, StartCourseForm
from .models import Course


@login_required
def start(request, person_id: int):
    person, access = open_person(request, person_id, section="course", write=True)
    if access is Access.NEEDS_REASON:
        return redirect("accounts:outside_access", person_id=person.pk)
    form = StartCourseForm(request.POST if request.method == "POST" else None)
    cap_warning = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.start_course(request.user, person, d["offer"], start=d["start"], hours_package=d["hours_package"],
                                  cap_reason=d["cap_reason"] or request.POST.get("cap_reason_text", ""))
        except services.SoftCapExceeded as exc:
            cap_warning = exc.message
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Forløbet er startet."))
            return redirect("people:overview", person_id=person.pk)
    return render(request, "courses/start.html", {"form": form, "person": person, "cap_warning": cap_warning})


@login_required
def close(request, course_id: int):
    course = get_object_or_404(Course.objects.select_related("offer"), pk=course_id)
    person, access = open_person(request, course.person_id, section="course", write=True)
    if access is Access.NEEDS_REASON:
        return redirect("accounts:outside_access", person_id=person.pk)
    form = CloseCourseForm(request.POST if request.method == "POST" else None, initial={"version": course.version})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.close_course(request.user, course, closed_on=d["closed_on"], destination=d["destination"],
                                  note=d["note"], kickoff_on=d["kickoff_on"], expected_version=d["version"])
        except ValidationError as exc:
            form.add_error(None, exc)
        except services.VersionConflict:
            form.add_error(None, _("En anden har ændret forløbet imens. Genindlæs siden og prøv igen."))
        else:
            messages.success(request, _("Forløbet er afsluttet."))
            return redirect("people:overview", person_id=person.pk)
    return render(request, "courses/close.html", {"form": form, "course": course, "person": person})


@login_required
def worklist(request):
    user = request.user
    require_caseworker(user)
    scope = request.GET.get("vis", "mine")
    courses = Course.objects.filter(person__in=caseload_persons(user))
    if scope == "mine":
        courses = courses.filter(responsible=user)
    items = services.worklist(courses, today=timezone.localdate())
    if items:
        audit.record(user, AuditAction.VIEW, persons={i.course.person_id for i in items}, section="worklist")
    return render(request, "courses/worklist.html", {"items": items, "scope": scope, "today": timezone.localdate()})
