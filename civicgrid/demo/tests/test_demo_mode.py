import pytest
from django.contrib.auth import get_user_model

from civicgrid.demo.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_logins_are_created_only_in_demo_mode(settings):
    settings.DEMO_MODE = False
    seed_demo(seed=1)
    assert not get_user_model().objects.exists()
