"""Strict readers for settings that come from the environment.

Each helper refuses a value it cannot understand instead of guessing, so a typo in
production stops the process with a message naming the variable to fix.
"""

from __future__ import annotations

import datetime as dt
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


def env_date(name: str, default: str) -> dt.date:
    """Return a date written YYYY-MM-DD."""
    raw = env_str(name, default)
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a date: write YYYY-MM-DD.") from None


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


_S3_PARAMETERS = {"endpoint", "region", "prefix", "expire", "addressing"}


def env_storage(name: str) -> dict | None:
    """Return a STORAGES["default"] entry for `s3://BUCKET?endpoint=…`, or None when the variable is unset.

    Parameters: endpoint (the store's https address; AWS when left out), region, prefix (the key prefix,
    e.g. media/), expire (seconds a signed URL stays valid, default 300) and addressing (path or virtual).
    Credentials never go in the URL: boto3 reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY itself, so they
    stay out of logs and `ps` that show settings.
    """
    from urllib.parse import parse_qs, urlsplit

    raw = env_str(name)
    if raw is None:
        return None
    parts = urlsplit(raw)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(f"{name}={raw!r}: only s3://BUCKET?endpoint=… is understood.")
    if parts.username or parts.password or "@" in parts.netloc:
        raise ImproperlyConfigured(f"{name}: credentials do not belong in the URL; set AWS_ACCESS_KEY_ID and "
                                   "AWS_SECRET_ACCESS_KEY.")
    bucket = parts.netloc
    if not bucket or parts.path not in ("", "/") or parts.fragment:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected s3://BUCKET?parameters, with the key prefix as "
                                   "prefix=… rather than a path.")
    try:
        params = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise ImproperlyConfigured(f"{name}: {parts.query!r} is not a query string.") from None
    unknown = sorted(set(params) - _S3_PARAMETERS)
    if unknown:
        raise ImproperlyConfigured(f"{name}: unknown parameter {', '.join(unknown)}; "
                                   f"known: {', '.join(sorted(_S3_PARAMETERS))}.")
    repeated = sorted(key for key, values in params.items() if len(values) > 1)
    if repeated:
        raise ImproperlyConfigured(f"{name}: {', '.join(repeated)} given more than once.")
    value = {key: values[0].strip() for key, values in params.items()}

    endpoint = value.get("endpoint") or None
    if endpoint is not None and urlsplit(endpoint).scheme not in ("http", "https"):
        raise ImproperlyConfigured(f"{name}: endpoint={endpoint!r} must be an http(s) address.")
    try:
        expire = int(value.get("expire", "300"))
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expire={value['expire']!r} is not a number of seconds.") from None
    # S3 SigV4 caps a signed URL at seven days; below 10 s a slow client cannot follow the redirect in time.
    if not 10 <= expire <= 604800:
        raise ImproperlyConfigured(f"{name}: expire={expire} is outside 10..604800 seconds.")
    addressing = value.get("addressing", "path")
    if addressing not in ("path", "virtual"):
        raise ImproperlyConfigured(f"{name}: addressing={addressing!r} must be path or virtual.")
    prefix = value.get("prefix", "").strip("/")

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": value.get("region") or None,
            "location": prefix,
            # Photos are evidence behind a permission check: the store keeps them private and the photo view
            # hands out a short-lived signed URL only after that check.
            "querystring_auth": True,
            "querystring_expire": expire,
            "default_acl": None,
            # Evidence is never replaced in place: a clashing name gets a new suffix instead.
            "file_overwrite": False,
            "addressing_style": addressing,
            # SigV4 is what MinIO, OSS, COS and OBS all accept; older signatures are refused by some.
            "signature_version": "s3v4",
        },
    }
