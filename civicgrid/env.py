"""Strict readers for settings that come from the environment.

Each helper refuses a value it cannot understand instead of guessing, so a typo in
production stops the process with a message naming the variable to fix.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str | None:
    """Return the variable's value, or `default` when unset or empty."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name: str, default: bool) -> bool:
    """Return a boolean; only true/false, yes/no, on/off and 1/0 are accepted."""
    raw = env_str(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true or false.")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return an integer within the optional bounds."""
    raw = env_str(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name}={value} is outside {minimum}..{maximum}.")
    return value


def env_float(name: str, default: float, *, minimum: float = 0.0) -> float:
    """Return a non-negative (or >= minimum) number."""
    raw = env_str(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list with blanks removed."""
    raw = env_str(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_mapping(name: str, default: dict[str, list[str]]) -> dict[str, list[str]]:
    """Return `key=a,b;key2=c` as {key: [a, b], key2: [c]}; keys not named keep their default."""
    raw = env_str(name)
    if raw is None:
        return {key: list(values) for key, values in default.items()}
    mapping = {key: list(values) for key, values in default.items()}
    for part in raw.split(";"):
        if not part.strip():
            continue
        key, sep, values = part.partition("=")
        if not sep or not key.strip():
            raise ImproperlyConfigured(f"{name}: {part!r} is not of the form key=value,value.")
        mapping[key.strip()] = [v.strip() for v in values.split(",") if v.strip()]
    return mapping


def development_secret_key(var_dir: Path) -> str:
    """Return the development secret key kept in `var/`, creating it on first use."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
