from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "civicgrid.ledgers"
    verbose_name = _("创城台账")

    def ready(self):
        from civicgrid.cases.photos import register_photo_owner

        register_photo_owner(_via_ledgers)


def _via_ledgers(user, photo) -> bool:
    """A publicity asset's photo is seen by whoever may see the asset."""
    from civicgrid.ledgers.models import PublicityAsset

    return PublicityAsset.objects.restrict(user, "view").filter(photo=photo).exists()
