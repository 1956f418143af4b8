"""What each offer kind means to the services: the one table to change for a new kind (docs/architecture.md).

The services, forms, API and pages read these flags (`offer.meaning`), never the kind's name.
"""

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class KindMeaning:
    started_alone: bool  # a worker starts it for one citizen; otherwise only by joining a group
    in_groups: bool  # it runs as groups (hold) with sessions and an attendance register
    hours_package: bool  # it is delivered as a weekly hours package (required at start), stepped down over time
    reentry: bool  # a closed course can be taken up again, keeping its history
    from_guide_conversation: bool  # the guide conversation can start it on the citizen's yes
    ending_record: bool = False  # closing it asks for the ending record (what helped, whom to call; decision 0052)
    follow_up_by: tuple[str, ...] = ("follow_up",)  # the activity kinds that count as the offer's follow-up


MEANING = {
    "course": KindMeaning(started_alone=True, in_groups=False, hours_package=False, reentry=False,
                          from_guide_conversation=True, ending_record=True),
    "group": KindMeaning(started_alone=False, in_groups=True, hours_package=False, reentry=False,
                         from_guide_conversation=False),
    # Bostøtte meets the citizen every week: a contact is the follow-up (seed 003: status notes "løbende" at meetings).
    "bostotte": KindMeaning(started_alone=True, in_groups=False, hours_package=True, reentry=True,
                            from_guide_conversation=False, ending_record=True,
                            follow_up_by=("follow_up", "bostotte_contact")),
    "open": KindMeaning(started_alone=True, in_groups=False, hours_package=False, reentry=False,
                        from_guide_conversation=False),
}
FLAGS = [f.name for f in fields(KindMeaning) if f.type is bool]


def kinds_where(flag: str) -> list[str]:
    """The kinds with a flag set, for querysets (`Offer.objects.filter(kind__in=kinds_where("in_groups"))`)."""
    return [kind for kind, meaning in MEANING.items() if getattr(meaning, flag)]
