"""Photos a client sends by address (`media_url`): fetched after the submission commits, never from inside.

A `media_url` is an address someone else chose, fetched by the server: unchecked, it would let any API client
read the server's own network (the metadata service at 169.254.169.254, an admin port on 127.0.0.1, the
database on 10.x). So the host is resolved and every address it resolves to must be public; the connection is
made to the address that was checked (a second lookup could answer differently); each redirect is checked the
same way; the body is capped in size and the whole fetch in time.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from civicgrid.cases.choices import PhotoRole
from civicgrid.cases.models import CaseEvent
from civicgrid.cases.photos import store_photo
from civicgrid.cases.services import events
from civicgrid.core.tasks import enqueue_background

log = logging.getLogger(__name__)

SCHEMES = {"http": 80, "https": 443}
MAX_URL_LENGTH = 2000
MAX_REDIRECTS = 3
REDIRECTS = {301, 302, 303, 307, 308}
USER_AGENT = "CivicGrid-Open311/2 (+media_url fetcher)"


class MediaRefused(Exception):
    """The address may not be fetched, or what it answered is not a photo we keep."""


def allow_private() -> bool:
    """Only tests (a server on 127.0.0.1) and closed intranets turn this on."""
    return settings.OPEN311_MEDIA_ALLOW_PRIVATE


def max_bytes() -> int:
    return settings.OPEN311_MEDIA_MAX_BYTES


def timeout_seconds() -> float:
    return settings.OPEN311_MEDIA_TIMEOUT


def url_problem(url: str) -> str | None:
    """Why a submitted media_url is refused at once (before anything is stored), or None."""
    if len(url) > MAX_URL_LENGTH:
        return f"media_url is longer than {MAX_URL_LENGTH:,} characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return "media_url is not a valid address"
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        return "media_url must be an http or https address"
    return None


def attach_later(event: CaseEvent, urls: list[str], user_id: int | None) -> None:
    """Fetch each address after the current transaction commits and add the photo to `event` (处置前).

    In the background (a Celery worker, or a thread of this process): the client's answer does not wait for
    someone else's server, which may take the whole time limit for each of up to nine addresses."""
    for url in urls:
        enqueue_background("civicgrid.open311.media.attach", event.pk, url, user_id)


def attach(event_id: int, url: str, user_id: int | None) -> None:
    """A background task: fetch one media_url, store it as a photo, link it to the event as 处置前.

    A refused address or a file that is not a photo is logged, not raised: the report stands without it."""
    from django.contrib.auth import get_user_model

    event = CaseEvent.objects.filter(pk=event_id).first()
    if event is None:
        return
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        data = fetch(url)
        photo = store_photo(ContentFile(data, name="media"), user)
    except (MediaRefused, ValidationError) as exc:
        log.warning("media_url %s for event %s not attached: %s", url, event_id, exc)
        return
    events.link_photos(event, photos=[photo], role=PhotoRole.BEFORE)


def fetch(url: str) -> bytes:
    """The body of `url` (following at most MAX_REDIRECTS redirects), within the size cap and the time limit."""
    deadline = time.monotonic() + timeout_seconds()
    for _hop in range(MAX_REDIRECTS + 1):
        problem = url_problem(url)
        if problem:
            raise MediaRefused(problem)
        parts = urlsplit(url)
        scheme, host = parts.scheme.lower(), parts.hostname
        port = parts.port or SCHEMES[scheme]
        address = checked_address(host, port)
        connection = _connection(scheme, host, address, port, _remaining(deadline))
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
            sock = connection.sock  # the response keeps reading it after the connection lets go of it
            response = connection.getresponse()
            if response.status in REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise MediaRefused(f"HTTP {response.status} without a Location")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise MediaRefused(f"HTTP {response.status}")
            return _body(sock, response, deadline)
        except (OSError, http.client.HTTPException) as exc:
            raise MediaRefused(f"fetching failed: {exc.__class__.__name__}: {exc}") from None
        finally:
            connection.close()
    raise MediaRefused(f"more than {MAX_REDIRECTS} redirects")


def checked_address(host: str, port: int) -> str:
    """One address of `host`, after every address it resolves to was found public (unless allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise MediaRefused(f"{host} does not resolve: {exc}") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise MediaRefused(f"{host} does not resolve")
    if not allow_private():
        for address in addresses:
            if not is_public(address):
                raise MediaRefused(f"{host} resolves to {address}, which is not a public address")
    return addresses[0]


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:  # ::ffff:127.0.0.1 is 127.0.0.1
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                                 or ip.is_multicast or ip.is_unspecified)


def _body(sock, response, deadline: float) -> bytes:
    limit = max_bytes()
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise MediaRefused(f"the file is {int(declared):,} bytes, more than {limit:,}")
    chunks, size = [], 0
    while True:
        sock.settimeout(_remaining(deadline))
        chunk = response.read1(65536)  # read1: returns what arrived, so a slow drip still meets the deadline
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise MediaRefused(f"the file is more than {limit:,} bytes")
        chunks.append(chunk)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise MediaRefused(f"took longer than {timeout_seconds():g} s")
    return left


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that was checked; the Host header still names the host."""

    def __init__(self, host, address, port, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, address, port, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connection(scheme, host, address, port, timeout):
    return (_PinnedHTTPS if scheme == "https" else _PinnedHTTP)(host, address, port, timeout)
