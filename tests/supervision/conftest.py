import pytest


@pytest.fixture(autouse=True)
def _categories(request):
    """The default request categories (seeded by a migration, which a browser test's flush
    removes from the worker's database)."""
    if "db" in request.fixturenames or "world" in request.fixturenames:
        from yuanqu.service_requests.services import categories_ensure

        request.getfixturevalue("db")
        categories_ensure()
