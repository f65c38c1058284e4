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


def test_every_page_carries_the_content_security_policy(client, viewer):
    client.force_login(viewer)
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "object-src 'none'" in policy


def test_no_template_has_inline_script_style_or_handlers():
    """The CSP allows none of them; PDFs (rendered by WeasyPrint, not a browser) may."""
    import re
    from pathlib import Path

    bad = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.I)
    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if not path.name.endswith("_pdf.html") and bad.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_one_password_across_many_usernames_locks_the_address(client, settings, viewer):
    settings.AXES_ENABLED = True
    for n in range(5):
        client.post("/akun/masuk/", {"username": f"tebakan{n}", "password": "sandi-bocor-1"})
    response = client.post("/akun/masuk/", {"username": "pemantau", "password": "sandi-uji-123"})
    assert response.status_code == 429


def test_a_username_locks_whatever_the_address(client, settings, viewer):
    settings.AXES_ENABLED = True
    for n in range(5):
        client.post(
            "/akun/masuk/", {"username": "pemantau", "password": "salah"}, REMOTE_ADDR=f"10.0.0.{n}"
        )
    response = client.post(
        "/akun/masuk/",
        {"username": "pemantau", "password": "sandi-uji-123"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 429


def test_forwarded_for_counts_only_from_a_trusted_proxy(settings, rf):
    from sentra.accounts.client_ip import client_ip

    spoofed = rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(spoofed) == "203.0.113.7"  # no trusted proxies: the header is ignored
    settings.SENTRA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(spoofed) == "203.0.113.7"  # not from our proxy
    proxied = rf.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1, 10.0.0.3"
    )
    # Read from the right, past our own proxies; what the client wrote further left is not.
    assert client_ip(proxied) == "198.51.100.1"
    garbled = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="nonsense")
    assert client_ip(garbled) == "10.0.0.2"


def test_short_and_all_digit_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678901", "sentra-1", "0361224466"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Kopi-Bubuk-Kintamani-7")


def test_demo_accounts_only_in_demo_mode(settings):
    from io import StringIO

    from sentra.accounts.models import User
    from sentra.registry.management.commands.demo_data import Command

    settings.SENTRA_DEMO_MODE = False
    out = StringIO()
    command = Command(stdout=out)
    command._users(no_users=False)
    assert not User.objects.filter(username="admin").exists() and "mode demo" in out.getvalue()
    settings.SENTRA_DEMO_MODE = True
    command._users(no_users=False)
    assert User.objects.get(username="koordinator").role == "coordinator"
    assert User.objects.get(username="admin").check_password("sentra-demo")


def test_admin_changes_of_a_users_role_and_kecamatan_are_audited(client, admin_user, viewer):
    from sentra.audit.models import AuditEntry

    client.force_login(admin_user)
    url = f"/admin/accounts/user/{viewer.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "username": viewer.username,
            "role": "officer",
            "kecamatan": ["51.71.03"],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
            "groups": [],
            "user_permissions": [],
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(model="accounts.user", object_id=str(viewer.pk))
    assert entry.actor == admin_user and entry.source == "admin"
    assert entry.changes["role"] == ["viewer", "officer"]
    assert entry.changes["kecamatan"] == [[], ["51.71.03"]]


def test_admin_deletes_are_audited_even_in_bulk(client, admin_user):
    from sentra.audit.models import AuditEntry
    from sentra.imports.models import MappingProfile

    profile = MappingProfile.objects.create(
        name="Profil uji", kind="lainnya", mapping={"A": "name"}, signature="s" * 64,
        created_by=admin_user,
    )  # fmt: skip
    client.force_login(admin_user)
    response = client.post(
        "/admin/imports/mappingprofile/",
        {"action": "delete_selected", "_selected_action": [profile.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not MappingProfile.objects.filter(pk=profile.pk).exists()
    entry = AuditEntry.objects.get(model="imports.mappingprofile", action="delete")
    assert entry.object_id == str(profile.pk) and entry.actor == admin_user
