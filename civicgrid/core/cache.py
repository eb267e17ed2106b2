"""A small per-process cache for reference data that changes rarely (classes, routing rules, API keys).

Entries expire after `ttl` seconds, so a change made in another process is seen within that time;
changes made in this process clear the cache at once (the apps connect `clear` to post_save).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable


class TimedCache:
    def __init__(self, ttl: float):
        self.ttl = ttl
        self._lock = threading.Lock()
        self._data: dict[Hashable, tuple[float, object]] = {}

    def get(self, key: Hashable, load: Callable[[], object]):
        """The cached value for `key`, loading it when missing or older than the ttl."""
        now = time.monotonic()
        hit = self._data.get(key)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        value = load()
        with self._lock:
            self._data[key] = (now, value)
        return value

    def clear(self, **kwargs) -> None:
        with self._lock:
            self._data.clear()
