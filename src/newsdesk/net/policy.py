"""Which hosts a server-side fetch may connect to.

A URL typed by a user or found in a feed must not make newsdesk read its own
machine, its network or a cloud metadata service (SSRF). The check runs on the
resolved address at connect time, for the first request and every redirect, so
a DNS name that resolves to 127.0.0.1 or a redirect to 10.0.0.1 is refused too.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass

from newsdesk.config import Config

ALLOW_ENV = "NEWSDESK_ALLOW_PRIVATE_HOSTS"
_TRUE = {"1", "true", "yes", "on"}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class HostPolicy:
    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()  # non-public networks allowed one by one

    def allows(self, address: str) -> bool:
        """True when a connection to this IP address (text form, as getaddrinfo gives it) is allowed."""
        if self.allow_private:
            return True
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
        except ValueError:
            return False
        return is_public(ip) or any(ip in network for network in self.allowed_networks)


STRICT = HostPolicy()  # the default everywhere: public hosts only


def is_public(ip: IPAddress) -> bool:
    """Globally routable unicast: not loopback, private, link-local (cloud metadata), shared, reserved or multicast."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return is_public(embedded)
    return ip.is_global and not ip.is_multicast


def host_policy(config: Config) -> HostPolicy:
    """The configured policy: `allow_private_hosts` / NEWSDESK_ALLOW_PRIVATE_HOSTS=1, `allowed_private_networks`."""
    from_env = os.environ.get(ALLOW_ENV, "").strip().lower() in _TRUE
    return HostPolicy(allow_private=config.allow_private_hosts or from_env,
                      allowed_networks=tuple(_network(text) for text in config.allowed_private_networks))


def _network(text: str) -> IPNetwork:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise ValueError(f"setting 'allowed_private_networks': {text!r} is not an IP address or network") from None
