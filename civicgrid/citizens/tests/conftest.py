from civicgrid.cases.tests.conftest import world  # noqa: F401
