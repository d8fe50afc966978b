"""Who is asking: the client's address as our reverse proxy saw it, and the network a limit counts as one client."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence


def client_ip(request, headers: Sequence[str] = ("REMOTE_ADDR",)) -> str:
    """The client's address from the first of ``headers`` (``request.META`` names) that is present. Of a list
    (``X-Forwarded-For``) the rightmost entry is taken: our proxy added it; whatever comes before is the client's
    to choose."""
    for header in headers:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[-1].strip()
    return ""


def client_network(ip: str) -> str | None:
    """What a limit counts as one client: an IPv4 address, or the /64 network of an IPv6 one (written as its first
    address), since a household or a server holds a whole /64 and picks any address in it. None for what is not
    an address."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return None
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Address(int(address) >> 64 << 64))
    return str(address)
