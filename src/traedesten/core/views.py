from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render


@login_required
def session_status(request):
    """Who is signed in and on how many teams: one indexed query. The benchmarks' floor for an authenticated page."""
    return JsonResponse({"user": request.user.username, "teams": request.user.teams.count()})


def permission_denied(request, exception=None):
    """403, with the reason when the code gave one in words the user can act on (a missing consent, say)."""
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "core/denied.html", {"reason": reason}, status=403)


def not_found(request, exception=None):
    return render(request, "core/not_found.html", status=404)


def server_error(request):
    return render(request, "core/error.html", status=500)
