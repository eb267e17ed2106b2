"""Files the product hands out: downloads the offices exchange (Excel, Word), and stored evidence."""

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
)

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def download(content: bytes, filename: str) -> HttpResponse:
    """An attachment whose type follows the file name's extension."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def serve_stored_file(request, storage, name: str, *, content_type: str, etag: str) -> HttpResponse:
    """A stored file for a request that has already passed its permission check.

    Three ways, by configuration:
    - object storage (e.g. S3 with query-string auth): a redirect to a short-lived signed URL;
    - MEDIA_ACCEL_REDIRECT set: an empty answer whose X-Accel-Redirect header lets nginx send the bytes
      from its internal location (Django never reads the file);
    - otherwise Django streams it, with an ETag (If-None-Match answers 304), `Cache-Control: private` (the
      file is evidence behind a permission check: shared caches must not keep it) and single byte ranges.
    """
    if getattr(storage, "querystring_auth", False):
        response = HttpResponseRedirect(storage.url(name))
        # The signed URL expires within minutes: a cached redirect would outlive it, and it names the object.
        response["Cache-Control"] = "private, no-store"
        return response
    quoted = f'"{etag}"'
    if quoted in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
        response["ETag"] = quoted
        return _private(response)
    accel = settings.MEDIA_ACCEL_REDIRECT
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + name.lstrip("/")
    else:
        try:
            size = storage.size(name)
            handle = storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404("file missing from storage") from None
        byte_range = _byte_range(request.headers.get("Range", ""), size)
        if byte_range is None:
            response = FileResponse(handle, content_type=content_type)
            response["Content-Length"] = str(size)
        elif byte_range == "unsatisfiable":
            handle.close()
            response = HttpResponse(status=416, content_type=content_type)
            response["Content-Range"] = f"bytes */{size}"
        else:
            start, end = byte_range
            handle.seek(start)
            data = handle.read(end - start + 1)
            handle.close()
            response = HttpResponse(data, status=206, content_type=content_type)
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Accept-Ranges"] = "bytes"
    response["ETag"] = quoted
    return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _byte_range(header: str, size: int):
    """(start, end) of a single `bytes=` range, 'unsatisfiable', or None (no range, or several: send it all)."""
    if not header.startswith("bytes=") or "," in header:
        return None
    first, _, last = header[6:].strip().partition("-")
    try:
        if first == "":  # the last N bytes
            length = int(last)
            if length <= 0:
                return "unsatisfiable"
            return max(size - length, 0), size - 1
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size or end < start:
        return "unsatisfiable"
    return start, min(end, size - 1)
