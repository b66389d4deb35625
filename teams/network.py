"""Who is asking: the visitor's IP address, believing X-Forwarded-For only from the proxies we run.

Anyone can send an X-Forwarded-For header, so it counts only when the connection comes from an address in
``settings.TRUSTED_PROXIES``. Each proxy appends the address it received the request from, so the header is
read from the right, past the trusted proxies; the first address that is not one of them is the visitor's.
Everything to its left was written by the visitor (or their own proxies) and proves nothing.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parsed(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: IPAddress) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """The address the request came from: REMOTE_ADDR, or behind trusted proxies the visitor's address.

    When every hop in X-Forwarded-For is a trusted proxy, the left-most one is the visitor; a hop that is no
    address at all ends the walk at the last proxy that wrote it, so a proxy's mistake never yields a made-up
    address.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    nearest = _parsed(remote)
    if nearest is None or not _trusted(nearest):
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(hops.split(",") if hops else []):
        address = _parsed(hop)
        if address is None:
            break
        nearest = address
        if not _trusted(address):
            break
    return str(nearest)
