"""The demo's worklists show today's work: fewer than 10 % of each role's rows are overdue, and none is about a group
or a course that has ended (issue 23). Measured on the demo as `traedesten seed_demo` builds it (seed 1, 300
citizens), on fixed days."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from traedesten.accounts.models import User
from traedesten.gate import Tool, may_use
from traedesten.usecases import worklists


@pytest.mark.parametrize("today", [datetime.date(2026, 3, 2), datetime.date(2026, 11, 24)])
def test_each_roles_worklist_is_mostly_not_overdue_and_never_about_what_has_ended(db, today):
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(10)), tick=False):
        call_command("seed_demo", seed=1, today=today)
        measured = {}
        for user in User.objects.order_by("pk"):
            if not may_use(user, Tool.WORKLIST):
                continue
            for scope in ("mine", "team"):
                work = worklists.worklist(user, scope=scope, today=today)
                rows = work.items
                # An after-care visit is the one item on a closed course (decision 0052).
                assert not [i for i in rows if (i.course.status != "active" and i.kind != "after_care")
                            or (i.course.group_id and i.course.group.ended_on)], (user.username, scope)
                assert all(i.course.ending.after_care_on == i.due for i in rows if i.kind == "after_care")
                measured[user.username, scope] = (len(work.overdue), len(rows))
        for (username, scope), (overdue, rows) in measured.items():
            assert overdue < max(1, rows) * 0.10 or overdue == 0, (username, scope, overdue, rows, measured)
        assert measured["guide", "team"][1] >= 20  # the team's list has work on it, not just nothing
