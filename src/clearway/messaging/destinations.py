"""Where a webhook may connect: public addresses only, unless the operator allow-lists a network or host.

A webhook URL names a host the filer chooses, and the server connects to it: without a check a filer could
make Clearway reach the database, the broker, a cloud metadata service or anything on the internal network
(server-side request forgery). The host is resolved and every address must be public — not loopback, private,
link-local, multicast, reserved or unspecified (IPv4-mapped IPv6 addresses are judged by their IPv4 form).
Numeric hosts must be written canonically (a dotted quad or an IPv6 literal): ``2130706433``, ``0x7f.1`` or
``0177.0.0.1`` are refused outright. The check runs at registration and again at each delivery, which then
connects to the address it checked (not to a second resolution), so DNS rebinding gains nothing.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
_NUMERICISH = re.compile(r"^[0-9a-fA-FxX.]+$")


class DestinationRefused(ValueError):
    """The URL's host is not a public address (and not allow-listed)."""


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DestinationRefused(f"the host {host} cannot be resolved") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _literal(host: str) -> IP | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_public(address: IP) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


@dataclass(frozen=True)
class DestinationPolicy:
    """``allowed``: CIDR networks or host names the operator lets webhooks reach although not public."""

    allowed: tuple[str, ...] = ()
    resolver: Resolver = system_resolver

    @classmethod
    def of(cls, allowed: Iterable[str], resolver: Resolver = system_resolver) -> DestinationPolicy:
        return cls(tuple(a.strip().lower() for a in allowed if a.strip()), resolver)

    def _allowed(self, host: str, address: IP) -> bool:
        for entry in self.allowed:
            if entry == host.lower():
                return True
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
        return False

    def resolve(self, host: str, port: int) -> str:
        """The address to connect to for ``host``; refuses when any address it resolves to is not public."""
        host = host.strip("[]")
        if not host:
            raise DestinationRefused("the URL names no host")
        literal = _literal(host)
        if literal is None and _NUMERICISH.fullmatch(host) and not re.search(r"[g-wyzG-WYZ]", host):
            raise DestinationRefused(
                f"the host {host} is a numeric address in an unusual form; write it as "
                "a dotted quad (a.b.c.d) or an IPv6 literal"
            )
        addresses = (
            [literal]
            if literal is not None
            else [ipaddress.ip_address(a.split("%")[0]) for a in self.resolver(host, port)]
        )
        if not addresses:
            raise DestinationRefused(f"the host {host} resolves to no address")
        for address in addresses:
            if not is_public(address) and not self._allowed(host, address):
                raise DestinationRefused(
                    f"the host {host} is (or resolves to) {address}, which is not a "
                    "public address; webhooks reach public addresses only"
                )
        return str(addresses[0])
