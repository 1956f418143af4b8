"""Small-cell suppression: reports never show a count of citizens between 1 and 4."""

SMALL_CELL = 5


def suppress(n: int) -> int | None:
    """The count, or None (shown as "<5") when it could point to a few identifiable citizens. Zero is safe."""
    return n if n == 0 or n >= SMALL_CELL else None
