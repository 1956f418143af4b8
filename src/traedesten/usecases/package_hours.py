"""Hours against the package for the manager: course-weeks below, within and above the granted package per team
and per responsible worker, and cancellations and video support per team (decision 0053). Aggregates only, published
through core.disclosure; no citizen is named, so nothing is read about one."""

import datetime

from traedesten.core import disclosure
from traedesten.courses import package_hours
from traedesten.gate import Tool, may_use, require_tool


def _teams(user):
    """The user's own teams; every team for an administrator or a user without a team (as the hours page)."""
    own = user.teams.all()
    return None if may_use(user, Tool.ADMINISTRATION) or not own.exists() else own


def package_report(user, *, start: datetime.date, end: datetime.date) -> dict:
    require_tool(user, Tool.HOURS)
    teams = _teams(user)
    variance = package_hours.variance_report(start, end, teams=teams)
    attendance = package_hours.attendance_report(start, end, teams=teams)
    return {
        "weeks": variance["weeks"],
        "teams": [package_hours.publish_variance(r) for r in variance["teams"]],
        "workers": [package_hours.publish_variance(r) for r in variance["workers"]],
        "total": package_hours.publish_variance(variance["total"]),
        "attendance": [package_hours.publish_attendance(r) for r in attendance],
        "rounding": disclosure.BASE,
    }
