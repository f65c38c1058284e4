import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_pages_need_login(client):
    response = client.get("/ikm/")
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


def test_login_is_throttled_after_five_failures(client, settings, viewer):
    settings.AXES_ENABLED = True
    for _ in range(5):
        client.post("/akun/masuk/", {"username": "pemantau", "password": "salah"})
    response = client.post("/akun/masuk/", {"username": "pemantau", "password": "sandi-uji-123"})
    assert response.status_code == 429
    assert "Terlalu banyak" in response.content.decode()


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 30 + "-prod-key-" + "y" * 30,
        "ALLOWED_HOSTS": "sentra.example.go.id",
        "DJANGO_SETTINGS_MODULE": "sentra.settings",
    }
    env.pop("SENTRA_TESTING", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
