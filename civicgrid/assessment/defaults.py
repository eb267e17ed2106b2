"""Shipped default data: the Chengdu-style and Jinhua-style scoring schemes (civicgrid.assessment.presets).

Loaded by `civicgrid load_defaults` (see decision 0009): a scheme is created, with its bonuses, when its
slug is missing; a scheme the office edited is never touched.
"""

import copy

DEPENDS_ON = ["ledgers"]  # the bonuses count demolitions from the works ledger (its work kinds)


def load_defaults(using: str = "default") -> list[str]:
    """Create the missing scoring schemes; return what was created."""
    from civicgrid.assessment.models import ScoringScheme
    from civicgrid.assessment.presets import BONUSES, PRESETS

    created = []
    for slug, name, config, note in PRESETS:
        config = copy.deepcopy(config)
        config.setdefault("bonuses", copy.deepcopy(BONUSES))
        _, new = ScoringScheme.objects.using(using).get_or_create(
            slug=slug, defaults={"name": name, "config": config, "note": note})
        if new:
            created.append(f"scoring scheme {slug}")
    return created
