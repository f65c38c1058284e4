import os

import pytest

os.environ.setdefault("SENTRA_TESTING", "1")


@pytest.fixture(autouse=True)
def _settings_for_tests(settings):
    settings.AXES_ENABLED = False
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads (import files hold NIK and phone numbers) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SENTRA_PROGRESS_DIR = tmp_path / "progress"


@pytest.fixture
def admin_user(db):
    from sentra.accounts.models import Role
    from sentra.testing.factories import UserFactory

    return UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def analyst(db):
    from sentra.accounts.models import Role
    from sentra.testing.factories import UserFactory

    return UserFactory(username="analis", role=Role.ANALYST)


@pytest.fixture
def officer_barat(db):
    from sentra.accounts.models import Role
    from sentra.testing.factories import DENPASAR_BARAT, UserFactory

    return UserFactory(
        username="petugas_barat", role=Role.OFFICER, kecamatan_codes=[DENPASAR_BARAT]
    )


@pytest.fixture
def viewer(db):
    from sentra.accounts.models import Role
    from sentra.testing.factories import UserFactory

    return UserFactory(username="pemantau", role=Role.VIEWER)
