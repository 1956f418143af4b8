"""The network map: the citizen in the middle, people placed by the closeness the citizen gives them."""

import math
from dataclasses import dataclass

FAMILY = {"parent", "child", "partner", "sibling", "family", "guardian"}
FRIENDS = {"friend", "neighbour"}
COLOURS = {"family": "#1f6f5c", "friends": "#0b5394", "professional": "#8a4b00", "other": "#5b6b77"}
RADII = {1: 80, 2: 150, 3: 220}
CENTRE = 250


@dataclass(frozen=True)
class Node:
    member: object
    x: float
    y: float
    colour: str
    group: str
    in_plan: bool
    in_meetings: bool


def group_of(relation: str) -> str:
    if relation in FAMILY:
        return "family"
    if relation in FRIENDS:
        return "friends"
    return "professional" if relation == "professional" else "other"


def layout(network, plan_names: set[str], meeting_names: set[str]) -> list[Node]:
    rings: dict[int, list] = {}
    for member in network:
        rings.setdefault(min(max(member.closeness or 2, 1), 3), []).append(member)
    nodes = []
    for ring, members in rings.items():
        for n, member in enumerate(members):
            angle = 2 * math.pi * n / len(members) - math.pi / 2 + ring * 0.4
            group = group_of(member.relation)
            name = member.name.strip().lower()
            nodes.append(Node(member, round(CENTRE + RADII[ring] * math.cos(angle), 1),
                              round(CENTRE + RADII[ring] * math.sin(angle), 1), COLOURS[group], group,
                              name in plan_names, name in meeting_names))
    return nodes
