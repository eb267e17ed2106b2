"""Shipped default data: the classes and filing criteria of the default rulebook (domain.md §2).

The rows themselves are civicgrid.cases.rulebook.DEFAULT_RULEBOOK. Loaded by `civicgrid load_defaults`
(see decision 0009): a class is created when its code is missing, a criterion when its (class, text) is
missing; nothing is overwritten. Departments are not set here: seed_demo and `civicgrid import_rulebook`
fill them in once the units exist.
"""

DEPENDS_ON: list[str] = []

UNITS = {"分钟": "minutes", "工作时": "hours", "工作日": "days"}
# Classes found at homes, in stairwells or about people: the public sees only their grid (CaseClass.location_blurred).
PRIVATE_LOCATION_CLASSES = frozenset({"E0101", "E0606", "E0607"})


def load_defaults(using: str = "default") -> list[str]:
    """Create the missing case classes and filing criteria; return what was created."""
    from civicgrid.cases.models import CaseClass, FilingCriterion
    from civicgrid.cases.rulebook import DEFAULT_RULEBOOK

    created = []
    for type_, major, major_name, minor, minor_name, text, a, b, c, unit, closing, _dept in DEFAULT_RULEBOOK:
        kind = "component" if type_ == "部件" else "event"
        code = f"{'C' if kind == 'component' else 'E'}{major}{minor}"
        case_class, new = CaseClass.objects.using(using).get_or_create(code=code, defaults={
            "type": kind, "major_code": major, "major_name": major_name, "minor_code": minor,
            "minor_name": minor_name, "location_blurred": code in PRIVATE_LOCATION_CLASSES,
        })
        if new:
            created.append(f"case class {code}")
        _, new = FilingCriterion.objects.using(using).get_or_create(case_class=case_class, text=text, defaults={
            "limit_a": a, "limit_b": b, "limit_c": c, "unit": UNITS[unit], "closing_criterion": closing,
        })
        if new:
            created.append(f"filing criterion {code}: {text}")
    return created
