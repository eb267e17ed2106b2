"""A retried Open311 POST creates nothing twice and gets the first answer back.

Keyed by API key (an Open311 client need not have a user). The record is inserted before the work, in the same
transaction, so a concurrent retry waits on the unique index and then finds the answer; a refused request
(an exception) rolls its record back, so it can be retried.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from civicgrid.open311.models import ApiKey, Submission

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


class KeyReused(Exception):
    """The key was used before for a different request."""


@dataclass
class Answer:
    status: int
    rows: list[dict]
    replayed: bool = False


def fingerprint(request) -> str:
    """Method, path, form fields and files (by field, name and size): what makes two requests the same."""
    parts = {
        "method": request.method, "path": request.path,
        "data": sorted((k, v) for k, v in request.POST.lists()),
        "files": sorted((k, f.name, f.size) for k in request.FILES for f in request.FILES.getlist(k)),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def stored(api_key: ApiKey, key: str, print_: str) -> Answer | None:
    record = Submission.objects.filter(api_key=api_key, key=key).exclude(status_code=0).first()
    return _replay(record, print_) if record else None


def once(api_key: ApiKey, key: str, print_: str, work: Callable[[], Answer]) -> Answer:
    """Run `work` once per (api_key, key); later calls get its answer. Exceptions of `work` pass through."""
    try:
        with transaction.atomic():
            record = Submission.objects.create(api_key=api_key, key=key, fingerprint=print_)
            answer = work()
            record.status_code, record.rows = answer.status, answer.rows
            record.save(update_fields=["status_code", "rows"])
            return answer
    except IntegrityError:
        found = stored(api_key, key, print_)
        if found is None:
            raise
        return found


def _replay(record: Submission, print_: str) -> Answer:
    if record.fingerprint != print_:
        raise KeyReused(f"{HEADER} {record.key} was already used for a different request")
    return Answer(record.status_code, record.rows, replayed=True)
