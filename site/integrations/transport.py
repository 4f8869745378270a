"""Posting to other systems, refusing private addresses unless allowed.

The host name is resolved once, every address it resolves to is checked, and
the connection goes to the checked address (the ``Host`` header and TLS name
stay the original host), so a DNS answer cannot change between the check and
the request.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

TIMEOUT_SECONDS = 10
MAX_RESPONSE_BYTES = 64 * 1024


class AddressRefused(Exception):
    """The URL points at an address webhooks may not reach."""


@dataclass(frozen=True)
class Response:
    status: int
    elapsed_ms: int
    body: bytes


def _allow_listed(host: str, address: ipaddress._BaseAddress) -> bool:
    for item in getattr(settings, "HALLWAY_WEBHOOKS_ALLOWLIST", []):
        if item.lower() == host.lower():
            return True
        try:
            if address in ipaddress.ip_network(item, strict=False):
                return True
        except ValueError:
            continue
    return False


def _is_private(address: ipaddress._BaseAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def resolve_checked(url: str) -> tuple[str, int, str]:
    """``(host, port, address)`` for ``url``; ``AddressRefused`` when not allowed."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise AddressRefused("Only http:// and https:// URLs with a host are allowed.")
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise AddressRefused(f"Cannot resolve {host}: {error}") from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    allow_private = getattr(settings, "HALLWAY_WEBHOOKS_ALLOW_PRIVATE", False)
    for address in addresses:
        if _is_private(address) and not (allow_private or _allow_listed(host, address)):
            raise AddressRefused(
                f"{host} resolves to {address}, a private or loopback address "
                "(set HALLWAY_WEBHOOKS_ALLOW_PRIVATE or add it to "
                "HALLWAY_WEBHOOKS_ALLOWLIST)."
            )
    return host, port, str(addresses[0])


def check_url(url: str) -> None:
    """Raise ``AddressRefused`` when ``url`` may not be posted to."""
    resolve_checked(url)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a pre-checked address, verifying the certificate of ``host``."""

    def __init__(self, host: str, port: int, address: str, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Response:
    """POST ``body`` to ``url``; raises ``AddressRefused`` or ``OSError``."""
    host, port, address = resolve_checked(url)
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = _PinnedHTTPSConnection(
            host,
            port,
            address,
            timeout=TIMEOUT_SECONDS,
            context=ssl.create_default_context(),
        )
    else:
        connection = _PinnedHTTPConnection(host, port, address, timeout=TIMEOUT_SECONDS)
    started = time.monotonic()
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read(MAX_RESPONSE_BYTES)
        status = response.status
    finally:
        connection.close()
    elapsed = int((time.monotonic() - started) * 1000)
    return Response(status=status, elapsed_ms=elapsed, body=content)
