"""Photos a client sends — as files or as a media_url — are kept as 处置前 photos of the report (or the update),
and media_url answers point at the public copy. A media_url is fetched only from public addresses."""

import http.server
import threading
import time

import pytest
from django.test import Client

from civicgrid.cases.choices import Action, PhotoRole
from civicgrid.cases.models import Case, CaseEvent, EventPhoto, Photo
from civicgrid.cases.tests.conftest import jpeg, upload
from civicgrid.open311 import media
from civicgrid.open311.tests.conftest import new_request, post_request, post_update, rows

pytestmark = pytest.mark.django_db


class Server:
    """A small HTTP server on 127.0.0.1 in a thread: /photo.jpg, /big.jpg, /slow.jpg, /redirect, /text."""

    def __init__(self):
        self.hits: list[str] = []
        photo = jpeg()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.hits.append(self.path)
                if self.path == "/photo.jpg":
                    self._send(photo)
                elif self.path == "/big.jpg":
                    self._send(photo + b"\0" * 5000)
                elif self.path == "/slow.jpg":
                    self.send_response(200)
                    self.send_header("Content-Type", "image/jpeg")
                    self.end_headers()
                    try:
                        for byte in photo[:40]:  # a drip: every byte in time for the socket, never done
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(0.1)
                    except ConnectionError:  # the fetcher gave up, as it should
                        pass
                elif self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", "/photo.jpg")
                    self.end_headers()
                else:
                    self._send(b"not a photo", "text/plain")

            def _send(self, body, content_type="image/jpeg"):
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fetched_inline(monkeypatch, django_capture_on_commit_callbacks):
    """Background work (a thread without Celery) runs in the test's own thread when the transaction commits:
    the thread would not see the test's uncommitted rows. Same task, same arguments, same order."""
    from civicgrid.core import tasks

    monkeypatch.setattr(tasks, "_dispatch_background", tasks._dispatch)
    return django_capture_on_commit_callbacks


@pytest.fixture
def server():
    running = Server()
    yield running
    running.close()


def report_photos(number) -> list[Photo]:
    links = EventPhoto.objects.filter(event__case__number=number, event__action=Action.REPORT).order_by("id")
    assert all(link.role == PhotoRole.BEFORE for link in links)
    return [link.photo for link in links]


def test_files_sent_with_a_request_are_the_reports_before_photos(world, key, fmt, media):
    red, green, blue = jpeg((200, 0, 0)), jpeg((0, 200, 0), pattern=1), jpeg((0, 0, 200), pattern=2)
    number = new_request(world, fmt=fmt, media=upload(red, "a.jpg"), photo2=upload(blue, "c.jpg"),
                         photo1=upload(green, "b.jpg"))
    photos = report_photos(number)
    assert len(photos) == 3
    assert [p.perceptual_hash for p in photos] == [p.perceptual_hash for p in sorted(photos, key=lambda p: p.pk)]
    [request] = rows(Client().get(f"/open311/v2/requests/{number}.{fmt}"))
    assert request["media_url"] == f"http://testserver/photos/{photos[0].uid}/public/"
    assert Client().get(request["media_url"]).status_code == 200  # anyone may see the public copy


def test_a_file_that_is_not_a_photo_refuses_the_request(world, key, fmt, media):
    response = post_request(world, fmt=fmt, media=upload(b"%PDF-1.4 not a photo", "a.pdf"))
    assert response.status_code == 400 and "JPEG" in rows(response)[0]["description"]
    assert not Case.objects.exists() and not Photo.objects.exists()


def test_files_sent_with_an_update_belong_to_its_event(world, key, fmt, media):
    number = new_request(world)
    response = post_update(number, fmt, photo1=upload(jpeg(), "p.jpg"), description="")
    assert response.status_code == 201, response.content
    event = CaseEvent.objects.get(pk=rows(response)[0]["update_id"])
    [link] = EventPhoto.objects.filter(event=event)
    assert link.role == PhotoRole.BEFORE and not report_photos(number)
    [listed] = [u for u in rows(Client().get(f"/open311/v2/servicerequestupdates.{fmt}"))
                if str(u["update_id"]) == str(event.pk)]
    assert listed["media_url"] == f"http://testserver/photos/{link.photo.uid}/public/"


def test_a_media_url_is_fetched_after_the_report_commits(world, key, fmt, media, server, settings,
                                                          fetched_inline):
    settings.OPEN311_MEDIA_ALLOW_PRIVATE = True  # the test server is on 127.0.0.1
    with fetched_inline(execute=True):
        number = new_request(world, fmt=fmt, media_url=server.url("/redirect"))
    assert server.hits == ["/redirect", "/photo.jpg"]
    [photo] = report_photos(number)
    assert photo.width == 64 and photo.uploaded_by is None
    [request] = rows(Client().get(f"/open311/v2/requests/{number}.{fmt}"))
    assert request["media_url"].endswith(f"/photos/{photo.uid}/public/")


def test_a_media_url_on_an_update_joins_the_updates_event(world, key, media, server, settings, fetched_inline):
    settings.OPEN311_MEDIA_ALLOW_PRIVATE = True
    number = new_request(world)
    with fetched_inline(execute=True):
        response = post_update(number, media_url=server.url("/photo.jpg"))
    [link] = EventPhoto.objects.filter(event_id=rows(response)[0]["update_id"])
    assert link.role == PhotoRole.BEFORE


def test_by_default_a_loopback_media_url_is_never_requested(world, key, fmt, media, server,
                                                            fetched_inline):
    with fetched_inline(execute=True):
        number = new_request(world, fmt=fmt, media_url=server.url("/photo.jpg"))
    assert server.hits == [] and report_photos(number) == []
    assert Case.objects.filter(number=number).exists()  # the report stands without its photo


def test_a_redirect_to_a_private_address_is_not_followed(server, monkeypatch):
    real = media.is_public
    checked = []

    def first_hop_public(address):  # the first host passes as if public; what it redirects to is judged for real
        checked.append(address)
        return len(checked) == 1 or real(address)

    monkeypatch.setattr(media, "is_public", first_hop_public)
    with pytest.raises(media.MediaRefused, match="not a public address"):
        media.fetch(server.url("/redirect"))
    assert server.hits == ["/redirect"]


def test_the_size_cap_and_the_time_limit_hold(server, settings):
    settings.OPEN311_MEDIA_ALLOW_PRIVATE = True
    settings.OPEN311_MEDIA_MAX_BYTES = 4000
    with pytest.raises(media.MediaRefused, match="more than 4,000"):
        media.fetch(server.url("/big.jpg"))
    settings.OPEN311_MEDIA_TIMEOUT = 0.5
    started = time.monotonic()
    with pytest.raises(media.MediaRefused, match="longer than 0.5 s|timed out"):
        media.fetch(server.url("/slow.jpg"))
    assert time.monotonic() - started < 2


def test_what_is_not_a_photo_is_logged_and_left_out(world, key, media, server, settings, caplog,
                                                    fetched_inline):
    settings.OPEN311_MEDIA_ALLOW_PRIVATE = True
    with fetched_inline(execute=True):
        number = new_request(world, media_url=server.url("/text"))
    assert report_photos(number) == [] and "not attached" in caplog.text


@pytest.mark.parametrize("address,public", [
    ("93.184.216.34", True), ("2606:4700::1111", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("240.0.0.1", False), ("::1", False), ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
    ("::ffff:10.0.0.1", False),
])
def test_only_public_addresses_are_fetched(address, public):
    assert media.is_public(address) is public


@pytest.mark.parametrize("url", ["ftp://example.com/a.jpg", "file:///etc/passwd", "gopher://x/", "http://",
                                 "javascript:alert(1)", "http://example.com:99999/a.jpg"])
def test_a_media_url_that_is_not_http_is_refused_at_once(world, key, fmt, url):
    response = post_request(world, fmt=fmt, media_url=url)
    assert response.status_code == 400 and "media_url" in rows(response)[0]["description"]
    assert not Case.objects.exists()


def test_at_most_nine_photos(world, key, fmt):
    urls = [f"https://example.com/{n}.jpg" for n in range(10)]
    response = post_request(world, fmt=fmt, media_url=urls)
    assert response.status_code == 400 and "at most 9" in rows(response)[0]["description"]
