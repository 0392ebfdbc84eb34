"""robots.txt, fetched once per host per run and asked before a linked page is fetched (urllib.robotparser).

As RFC 9309 says: a robots.txt that is missing (4xx) allows everything; one that cannot be fetched
(5xx, unreachable) disallows everything on that host for now. The followed feed itself is fetched
whatever robots.txt says: the user asked for it by its address.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from newsdesk.net.fetch import FetchError, fetch
from newsdesk.net.policy import HostPolicy

AGENT = "newsdesk"
MAX_ROBOTS_BYTES = 500_000


class RobotsCache:
    def __init__(self, policy: HostPolicy, timeout: float = 10.0) -> None:
        self.policy = policy
        self.timeout = timeout
        self._rules: dict[str, RobotFileParser | bool] = {}  # host -> its rules, or allow/deny all

    def allowed(self, url: str) -> bool:
        """May newsdesk fetch `url`, by its host's robots.txt?"""
        parts = urlsplit(url)
        host = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        if host not in self._rules:
            self._rules[host] = self._load(host)
        rules = self._rules[host]
        return rules if isinstance(rules, bool) else rules.can_fetch(AGENT, url)

    def _load(self, host: str) -> RobotFileParser | bool:
        try:
            response = fetch(f"{host}/robots.txt", policy=self.policy, max_bytes=MAX_ROBOTS_BYTES, timeout=self.timeout)
        except FetchError as exc:
            return exc.status is not None and 400 <= exc.status < 500
        parser = RobotFileParser()
        parser.parse(response.body.decode("utf-8", "replace").splitlines())
        return parser
