import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from civicgrid.cases.tests.conftest import world  # noqa: F401


class Provider:
    """A provider's HTTP endpoint on 127.0.0.1, started by the test: records each request and answers with
    the JSON the test sets (`answers` in turn, the last one repeated)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict]] = [(200, {})]
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                provider.requests.append({"method": self.command, "path": parts.path,
                                          "query": dict(parse_qsl(parts.query, keep_blank_values=True)),
                                          "headers": dict(self.headers), "body": body})
                status, answer = provider.answers[min(len(provider.requests), len(provider.answers)) - 1]
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider():
    running = Provider()
    yield running
    running.close()
