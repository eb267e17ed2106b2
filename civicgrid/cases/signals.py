"""Cases follow changes made elsewhere."""

from django.db.models import Case as When_
from django.db.models import Value, When
from django.dispatch import receiver

from civicgrid.cases.models import Case
from civicgrid.territory.services import grids_renumbered


@receiver(grids_renumbered)
def recode_cases(sender, changed: dict[str, str], **kwargs) -> None:
    """Renumbered grids: one UPDATE … CASE, so codes that swap between two grids cannot collide."""
    if not changed:
        return
    Case.objects.filter(region_code__in=list(changed)).update(
        region_code=When_(*[When(region_code=old, then=Value(new)) for old, new in changed.items()]))
