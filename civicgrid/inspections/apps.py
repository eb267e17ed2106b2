from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "civicgrid.inspections"
    verbose_name = _("检查考评")

    def ready(self):
        from civicgrid.cases.photos import register_photo_owner

        register_photo_owner(_via_inspections)


def _via_inspections(user, photo) -> bool:
    """A photo of an inspection result is seen by whoever may see the inspection (embargo included)."""
    from civicgrid.inspections.models import Inspection

    return Inspection.objects.restrict(user, "view").filter(results__photos=photo).exists()
