"""Outgoing network is blocked in the Python tests (as in jest): every TCP/UDP connect goes through
`socket.socket.connect`/`connect_ex` (urllib, http.client, huggingface_hub, psycopg, ...) and every name
through `socket.getaddrinfo`, so patching them makes anything that would reach out (DNS included) fail loudly. Loopback and Unix sockets stay open. Subprocesses the tests
start (the jobs runtime) run with HF_HUB_OFFLINE=1 and only ever talk to the loopback stand-ins."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


class BlockedNetworkError(OSError):
    """A test tried to connect outside loopback."""

    def __init__(self, target: str) -> None:
        super().__init__(f"tests may not reach the network: connection to {target} blocked "
                         "(only 127.0.0.1, ::1 and localhost are allowed)")


def is_loopback_host(host: str) -> bool:
    """True for the loopback addresses and names a test may connect to."""
    name = host.lower().strip("[]")
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _check(sock: socket.socket, address: Any) -> None:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return  # Unix sockets and the like never leave the machine
    host, port = str(address[0]), address[1]
    if not is_loopback_host(host):
        raise BlockedNetworkError(f"{host}:{port}")


_installed = False


def install() -> None:
    """Patches socket.socket so non-loopback connections raise BlockedNetworkError (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    original_connect, original_connect_ex = socket.socket.connect, socket.socket.connect_ex
    original_getaddrinfo = socket.getaddrinfo
    own_names = {socket.gethostname().lower(), socket.getfqdn().lower()}

    def connect(self: socket.socket, address: Any) -> None:
        _check(self, address)
        original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _check(self, address)
        return original_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, bytes):
            host = host.decode()
        if host is not None and not _is_ip_literal(str(host)) and not is_loopback_host(str(host)) \
                and str(host).lower() not in own_names:
            raise BlockedNetworkError(f"{host} (name lookup)")
        return original_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
