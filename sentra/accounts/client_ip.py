"""The client's address for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

X-Forwarded-For is written by whoever sends the request, so it counts only when the
request comes from one of our own proxies (SENTRA_TRUSTED_PROXIES: addresses or
networks). The header is then read from the right, skipping our proxies: the first
other address is the one our outermost proxy saw. Anything else a client put further
left is ignored. Without trusted proxies REMOTE_ADDR is the client.

django-ipware's trusted-proxy check compares the proxies against addresses inside the
header, which a single nginx in front of gunicorn never writes there; hence this.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    trusted = _networks(tuple(getattr(settings, "SENTRA_TRUSTED_PROXIES", ()) or ()))
    remote_ip = _parse(remote or "")
    if not trusted or remote_ip is None or not any(remote_ip in net for net in trusted):
        return remote
    chain = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for item in reversed(chain):
        address = _parse(item)
        if address is None:
            break  # a garbled entry: nothing left of it can be trusted
        if not any(address in net for net in trusted):
            return str(address)
    return remote
