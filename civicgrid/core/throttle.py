"""Login throttling shared by the login page and the token endpoint."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle


def _rate() -> tuple[int, int]:
    return SimpleRateThrottle.parse_rate(None, settings.LOGIN_THROTTLE_RATE)


def _key(ip: str, username: str) -> str:
    return f"login-attempts:{ip}:{username.lower()}"


def client_ip(request) -> str:
    """The client address as Django sees it (no proxy header is trusted by default)."""
    return request.META.get("REMOTE_ADDR", "")


def login_allowed(request, username: str) -> bool:
    """Count one attempt for (address, username); False once the rate is exceeded."""
    limit, window = _rate()
    key = _key(client_ip(request), username or "")
    cache.add(key, 0, timeout=window)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        attempts = 1
    return attempts <= limit


def reset_login_attempts(request, username: str) -> None:
    """Forget failed attempts after a successful login."""
    cache.delete(_key(client_ip(request), username or ""))
