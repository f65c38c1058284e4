"""Publish the open-data tables to a CKAN portal (package_create, or package_update when the
dataset exists): `manage.py opendata_push_ckan --url https://data.denpasarkota.go.id
--api-key …`. The resources point at this Sentra's public files, so the portal always
serves the latest release."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sentra.opendata import catalogue, selectors


def _call(base: str, action: str, key: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{base.rstrip('/')}/api/3/action/{action}",
        data=data,
        headers={"Authorization": key, "Content-Type": "application/json"},
        method="POST" if data is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.loads(response.read())
    if not answer.get("success"):
        raise CommandError(
            _("CKAN %(action)s menolak: %(error)s")
            % {"action": action, "error": answer.get("error")}
        )
    return answer["result"]


class Command(BaseCommand):
    help = "Kirim metadata data terbuka ke portal CKAN (package_create / package_update)."

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="alamat portal CKAN")
        parser.add_argument("--api-key", required=True, help="token API CKAN")
        parser.add_argument(
            "--site", required=True, help="alamat publik Sentra ini, mis. https://sentra.example"
        )
        parser.add_argument("--org", default="", help="organisasi CKAN (owner_org)")

    def handle(self, *args, url, api_key, site, org, **options):
        for slug in selectors.DATASETS:
            package = catalogue.ckan_package(slug, site)
            if org:
                package["owner_org"] = org
            try:
                _call(url, f"package_show?id={package['name']}", api_key)
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    raise CommandError(
                        _("CKAN package_show menjawab HTTP %(code)s") % {"code": exc.code}
                    ) from exc
                _call(url, "package_create", api_key, package)
                self.stdout.write(_("dibuat: %(name)s") % {"name": package["name"]})
            else:
                _call(url, "package_update", api_key, package)
                self.stdout.write(_("diperbarui: %(name)s") % {"name": package["name"]})
