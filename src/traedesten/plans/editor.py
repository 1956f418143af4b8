"""Turning the one-page plan form into plan content, keeping the ids of goals, sub-goals and actions."""

from .content import new_id

TEXTS = ["reason", "motivation", "success_criteria", "citizen_has_done", "citizen_can_do_after", "future_support",
         "network_involvement"]
NEW_SUB_GOALS, NEW_ACTIONS, NEW_BARRIERS = 3, 2, 2


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").replace("\r", "").split("\n") if line.strip()]


def _people(value: str) -> list[dict]:
    """Lines like "Mor, 20304050" or "Lene (søster) 22 33 44 55"."""
    people = []
    for line in _lines(value):
        name, _sep, phone = line.partition(",")
        people.append({"name": name.strip(), "phone": phone.strip()})
    return people


def _sub_goals(post, gid: str) -> list[dict]:
    ids = post.getlist(f"goal-{gid}-sub_ids") + [f"new{n}" for n in range(NEW_SUB_GOALS)]
    result = []
    for sid in ids:
        text = (post.get(f"goal-{gid}-sub-{sid}-text") or "").strip()
        if text:
            result.append({"id": new_id() if sid.startswith("new") else sid, "text": text,
                           "status": post.get(f"goal-{gid}-sub-{sid}-status") or "not_started"})
    return result


def _actions(post, gid: str) -> list[dict]:
    ids = post.getlist(f"goal-{gid}-action_ids") + [f"new{n}" for n in range(NEW_ACTIONS)]
    result = []
    for aid in ids:
        prefix = f"goal-{gid}-action-{aid}-"
        text = (post.get(prefix + "text") or "").strip()
        if not text:
            continue
        responsible = post.get(prefix + "responsible") or ""
        kind, _sep, detail = responsible.partition(":")
        result.append({
            "id": new_id() if aid.startswith("new") else aid, "text": text, "responsible": kind,
            "worker_id": int(detail) if kind == "worker" and detail.isdigit() else None,
            "department": detail if kind == "department" else "",
            "responsible_name": (post.get(prefix + "responsible_name") or "").strip(),
            "legal_basis": post.get(prefix + "legal_basis") or "", "due": post.get(prefix + "due") or None,
            "status": post.get(prefix + "status") or "planned",
            **{day: post.get(prefix + day) or None for day in ("requested_on", "decided_on", "started_on", "ended_on")},
        })
    return result


def _barriers(post) -> list[dict]:
    """Each barrier row: its text and one choice of type ("basic:mental_illness", "derived:housing")."""
    result = []
    for bid in post.getlist("barrier_ids") + [f"new{n}" for n in range(NEW_BARRIERS)]:
        text = (post.get(f"barrier-{bid}-text") or "").strip()
        choice = post.get(f"barrier-{bid}-type") or ""
        if not text and not choice:
            continue
        kind, _sep, detail = choice.partition(":")
        result.append({"id": new_id() if bid.startswith("new") else bid, "text": text, "kind": kind,
                       "basic_type": detail if kind == "basic" else "",
                       "derived_type": detail if kind == "derived" else ""})
    return result


def content_from_post(post) -> dict:
    data = {field: post.get(field, "") for field in TEXTS}
    data["dreams"] = _lines(post.get("dreams", ""))
    data["resources"] = _lines(post.get("resources", ""))
    data["barriers"] = _barriers(post)
    goals = []
    for gid in post.getlist("goal_ids") + ["new0"]:
        prefix = f"goal-{gid}-"
        citizen_text = (post.get(prefix + "citizen_text") or "").strip()
        subs, actions = _sub_goals(post, gid), _actions(post, gid)
        if gid.startswith("new") and not (citizen_text or post.get(prefix + "professional_text", "").strip() or subs or actions):
            continue
        goals.append({
            "id": new_id() if gid.startswith("new") else gid, "citizen_text": post.get(prefix + "citizen_text", ""),
            "professional_text": post.get(prefix + "professional_text", ""), "measurable": post.get(prefix + "measurable", ""),
            "achievable": post.get(prefix + "achievable", ""), "relevant": post.get(prefix + "relevant", ""),
            "deadline": post.get(prefix + "deadline") or None, "status": post.get(prefix + "status") or "active",
            "replaced_reason": post.get(prefix + "replaced_reason", ""), "sub_goals": subs, "actions": actions,
            "health": bool(post.get(prefix + "health")),
        })
    data["goals"] = goals
    data["coping"] = {"warning_signs": _lines(post.get("warning_signs", "")), "strategies": _lines(post.get("strategies", "")),
                      "people": _people(post.get("coping_people", ""))}
    data["crisis"] = {"about_me": post.get("about_me", ""), "what_helps": post.get("what_helps", ""),
                      "avoid": post.get("avoid", ""), "contacts": _people(post.get("crisis_contacts", ""))}
    data["health"] = {
        "gp_name": post.get("gp_name", ""), "gp_clinic": post.get("gp_clinic", ""), "gp_phone": post.get("gp_phone", ""),
        "medication": post.get("medication", ""), "medication_note": post.get("medication_note", ""),
        "annual_check": bool(post.get("annual_check")), "annual_check_since": post.get("annual_check_since") or None,
        "last_check": post.get("last_check") or None,
    }
    return data


def people_text(people) -> str:
    return "\n".join(f"{p.name}, {p.phone}" if p.phone else p.name for p in people)
