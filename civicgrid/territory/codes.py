"""Region codes (domain.md §2 "Codes").

district 6 digits (GB/T 2260) · street 9 (+3, 001–099 are 街道; 100–399 towns and townships are
accepted too) · community 12 (+3, 001–199 居委会, 200–399 村委会) · grid = community + a
sequence of `GRID_SEQUENCE_WIDTH` digits (3 by default, giving 15).
The code is the materialised path of the tree: a child's code starts with its parent's.
"""

from __future__ import annotations

from django.conf import settings

from civicgrid.territory.choices import Level

_SEGMENT_RANGES = {
    Level.STREET: (1, 399),
    Level.COMMUNITY: (1, 399),
}


def code_length(level: Level | str) -> int:
    """Number of digits of a code at `level`."""
    level = Level(level)
    base = {Level.DISTRICT: 6, Level.STREET: 9, Level.COMMUNITY: 12}
    return base[level] if level in base else 12 + settings.GRID_SEQUENCE_WIDTH


def level_of_code(code: str) -> Level | None:
    """The level a code's length implies, or None for a length no level has."""
    for level in Level:
        if len(code) == code_length(level):
            return level
    return None


def parent_code(code: str) -> str | None:
    """The parent's code (the code minus its last segment), None for a district."""
    level = level_of_code(code)
    if level is None or level is Level.DISTRICT:
        return None
    return code[: code_length(Level.parent_of(level))]


def code_problem(code: str, level: Level | str, parent: str | None) -> str | None:
    """Explain why `code` is not a well-formed code at `level` under `parent`, or None if it is."""
    level = Level(level)
    if not code.isdigit():
        return f"code {code!r} must contain digits only"
    expected = code_length(level)
    if len(code) != expected:
        return f"a {level.label} code has {expected} digits, {code!r} has {len(code)}"
    if level is Level.DISTRICT:
        return None if code[2:] != "0000" else f"{code!r} is a province code, not a district"
    if parent is None:
        return f"a {level.label} needs a parent"
    if not code.startswith(parent) or len(parent) != code_length(Level.parent_of(level)):
        return f"code {code!r} does not continue its parent's code {parent!r}"
    segment = int(code[len(parent):])
    low, high = _SEGMENT_RANGES.get(level, (1, 10 ** settings.GRID_SEQUENCE_WIDTH - 1))
    if not low <= segment <= high:
        return f"the last segment of {code!r} must be between {low:0{expected - len(parent)}d} and {high}"
    return None
