"""The client's address behind the proxy, and the network a limit counts as one client."""

from __future__ import annotations

import pytest

from psm_portal.lib.clients import client_ip, client_network


@pytest.mark.parametrize(
    "ip,network",
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("", None),
        ("unknown", None),
        ("203.0.113.7:443", None),
    ],
)
def test_client_network(ip, network):
    assert client_network(ip) == network


def test_client_ip_takes_the_first_header_present_and_the_entry_the_proxy_added(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.9", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request, ["HTTP_X_REAL_IP", "HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]) == "198.51.100.9"
    assert client_ip(request) == "10.0.0.1"
    assert client_ip(rf.get("/", REMOTE_ADDR=""), ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]) == ""
