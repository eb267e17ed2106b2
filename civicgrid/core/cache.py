"""A small per-process cache for reference data that changes rarely (classes, routing rules, API keys).

Entries expire after `ttl` seconds, so a change made in another process is seen within that time;
changes made in this process clear the cache at once (the apps connect `clear` to post_save).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable


class TimedCache:
    """Entries live `ttl` seconds; at most `max_entries` are kept (the least recently used go first), so
    keys chosen by outsiders — an API key typed wrong a million times — cannot grow the process."""

    def __init__(self, ttl: float, max_entries: int = 1024):
        self.ttl = ttl
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._data: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()

    def get(self, key: Hashable, load: Callable[[], object]):
        """The cached value for `key`, loading it when missing or older than the ttl."""
        now = time.monotonic()
        with self._lock:
            hit = self._data.get(key)
            if hit is not None and now - hit[0] < self.ttl:
                self._data.move_to_end(key)
                return hit[1]
        value = load()
        with self._lock:
            self._data[key] = (now, value)
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._data)

    def clear(self, **kwargs) -> None:
        with self._lock:
            self._data.clear()
