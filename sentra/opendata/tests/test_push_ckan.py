"""The CKAN push against a small CKAN-shaped server on loopback: create, then update."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


class FakeCkan(BaseHTTPRequestHandler):
    packages: dict[str, dict] = {}
    calls: list[tuple[str, str]] = []

    def log_message(self, *args):
        pass

    def _answer(self, status: int, body: dict) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self):
        self.calls.append(("GET", self.path, self.headers.get("Authorization")))
        name = self.path.split("id=", 1)[-1]
        if name in self.packages:
            self._answer(200, {"success": True, "result": self.packages[name]})
        else:
            self._answer(404, {"success": False, "error": {"message": "Not found"}})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        action = self.path.rsplit("/", 1)[-1]
        self.calls.append(("POST", action, self.headers.get("Authorization")))
        self.packages[body["name"]] = body
        self._answer(200, {"success": True, "result": body})


def test_it_creates_then_updates_the_datasets():
    server = HTTPServer(("127.0.0.1", 0), FakeCkan)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        out = StringIO()
        args = [
            "--url",
            url,
            "--api-key",
            "kunci",
            "--site",
            "https://sentra.example",
            "--org",
            "diskop",
        ]
        call_command("opendata_push_ckan", *args, stdout=out)
        call_command("opendata_push_ckan", *args, stdout=out)
    finally:
        server.shutdown()
    posts = [c for c in FakeCkan.calls if c[0] == "POST"]
    assert [c[1] for c in posts] == ["package_create"] * 3 + ["package_update"] * 3
    assert all(c[2] == "kunci" for c in FakeCkan.calls)
    package = next(iter(FakeCkan.packages.values()))
    assert package["owner_org"] == "diskop" and package["license_id"] == "cc-by"
    assert all(r["url"].startswith("https://sentra.example/data/") for r in package["resources"])
