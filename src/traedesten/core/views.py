from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from traedesten.accounts.access import caseload_persons


@login_required
def home(request):
    caps = request.user.caps
    context = {}
    if caps.sees_citizens:
        context["caseload_count"] = caseload_persons(request.user).count()
    return render(request, "core/home.html", context)


@login_required
def session_status(request):
    """Who is signed in and on how many teams: one indexed query. The benchmarks' floor for an authenticated page."""
    return JsonResponse({"user": request.user.username, "teams": request.user.teams.count()})


def permission_denied(request, exception=None):
    return render(request, "core/denied.html", status=403)


def not_found(request, exception=None):
    return render(request, "core/not_found.html", status=404)


def server_error(request):
    return render(request, "core/error.html", status=500)
