from tests.integration.tariff_fixtures import tariff_sessions  # noqa: F401 - the shared fixture
