"""The network guard conftest.py installs for every test: outside loopback, connections fail loudly."""

from __future__ import annotations

import socket
import threading
import urllib.request

import pytest

from .network_guard import BlockedNetworkError, is_loopback_host


def test_a_non_loopback_address_is_refused_before_any_packet_leaves() -> None:
    with pytest.raises(BlockedNetworkError, match=r"10\.255\.255\.1:80 blocked"):
        socket.create_connection(("10.255.255.1", 80), timeout=5)


def test_http_to_a_public_host_name_is_refused() -> None:
    with pytest.raises(OSError, match=r"example\.com \(name lookup\) blocked"):
        urllib.request.urlopen("http://example.com/", timeout=5)
    with pytest.raises(BlockedNetworkError, match=r"example\.com \(name lookup\) blocked"):
        socket.create_connection(("example.com", 443), timeout=5)


def test_loopback_stays_open() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    threading.Thread(target=lambda: server.accept()[0].close(), daemon=True).start()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        server.close()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1", "LOCALHOST"])
def test_loopback_hosts_are_allowed(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", ["10.255.255.1", "example.com", "0.0.0.0", "::ffff:10.0.0.1", "127.0.0.1.example.com", "::"])
def test_other_hosts_are_not(host: str) -> None:
    assert not is_loopback_host(host)
