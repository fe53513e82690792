from tests.integration.tariff_fixtures import demo_tariff  # noqa: F401 - the shared fixture
