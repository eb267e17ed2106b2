"""The error answers every API operation can give, added to the OpenAPI document in one place.

Views document what is particular to them; what follows from the framework, the exception handler
(`core/exceptions.py`), the input check at the door (`core/middleware.py`) and the server in front is the same
for every operation and would be forgotten on most if each view had to repeat it.
"""

from __future__ import annotations

import re

ERROR_DETAIL = {"$ref": "#/components/schemas/ErrorDetail"}
VALIDATION_ERROR = {"$ref": "#/components/schemas/ValidationError"}
CONFLICT = {"$ref": "#/components/schemas/Conflict"}

COMPONENTS = {
    "ErrorDetail": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": "field → messages. Nested objects and lists answer in the same shape (a list's errors by "
                       "position), `non_field_errors` concerns the input as a whole, `detail` a body that could "
                       "not be read at all.",
        "additionalProperties": {
            "anyOf": [
                {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
                {"type": "object"},
                {"type": "string"},
            ],
        },
        "example": {"lat": ["请确保该值小于或者等于 90。"]},
    },
    "Conflict": {
        "type": "object",
        "description": "the record's state does not allow the request (now); a case also says its current state "
                       "and version",
        "properties": {"detail": {"type": "string"}, "state": {"type": "string"}, "version": {"type": "integer"}},
        "required": ["detail"],
    },
}

UNSAFE = {"post", "put", "patch", "delete"}
# Query parameters that name a record or a page: an unknown one answers 404.
LOOKUP_QUERY = {"page", "region", "format"}
# Request fields through which photos arrive; each step is counted against the uploader's daily quota.
PHOTO_FIELDS = {"photos", "photo_ids"}
# Answered 429 by the login throttle, or by the photo quota without a photo field in the body.
THROTTLED_PATHS = {"/api/v1/auth/token/", "/api/v1/photos/"}
PATH_PARAMETER = re.compile(r"{[^}]+}")

LOCAL_TIME = r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"

RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds until a new try may succeed"}}


def _json(schema: dict, media_types=("application/json",)) -> dict:
    return {media_type: {"schema": schema} for media_type in media_types}


def _json_media_types(operation: dict) -> tuple[str, ...]:
    """Errors are rendered like the success: `?format=geojson` answers its 400 and 404 as GeoJSON's type too."""
    found = {"application/json"}
    for code, answer in operation.get("responses", {}).items():
        if code.startswith("2"):
            found |= {m for m in answer.get("content", {}) if m == "application/json" or m.endswith("+json")}
    return tuple(sorted(found))


def _body_fields(operation: dict, components: dict) -> set[str]:
    names = set()
    for media in operation.get("requestBody", {}).get("content", {}).values():
        schema = media.get("schema", {})
        if schema.get("type") == "array":
            schema = schema.get("items", {})
        if "$ref" in schema:
            schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
        names |= set(schema.get("properties", {}))
    return names


def _errors_for(path: str, method: str, operation: dict, components: dict) -> dict[str, dict]:
    query = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    has_path_parameters = bool(PATH_PARAMETER.search(path))
    security = operation.get("security", [])
    authenticated = bool(security) and {} not in security
    media = _json_media_types(operation)
    errors = {
        # The input check at the door refuses control characters in any query string, so every operation can.
        "400": {"description": "invalid input: field → messages", "content": _json(VALIDATION_ERROR, media)},
    }
    if authenticated:
        errors["401"] = {"description": "no or an unknown token", "content": _json(ERROR_DETAIL, media)}
        errors["403"] = {"description": "your roles do not allow it", "content": _json(ERROR_DETAIL, media)}
    if has_path_parameters or query & LOOKUP_QUERY:
        # Also a path parameter that fits no route (an id "0.5"): the project's handler404 answers in JSON too.
        errors["404"] = {"description": "not found, or outside your scope", "content": _json(ERROR_DETAIL, media)}
    if any(p.get("in") == "header" and p["name"] == "Idempotency-Key" for p in operation.get("parameters", [])):
        errors["422"] = {"description": "this Idempotency-Key was already used for a different request",
                         "content": _json(VALIDATION_ERROR)}
    if method in UNSAFE and has_path_parameters:
        errors["409"] = {"description": "the record's state does not allow it (now)", "content": _json(CONFLICT)}
    if method in UNSAFE and (path in THROTTLED_PATHS or _body_fields(operation, components) & PHOTO_FIELDS):
        errors["429"] = {
            "description": "too many attempts (login) or the account's photo quota for 24 hours is used",
            "headers": RETRY_AFTER,
            "content": _json({"anyOf": [ERROR_DETAIL, VALIDATION_ERROR]}),
        }
    if method == "get" and query:
        errors["414"] = {
            "description": "the request line is longer than the server reads (answered before the application)",
            "content": {"text/html": {"schema": {"type": "string"}}},
        }
    return errors


def _local_times(node):
    """DRF writes a time of day without an offset ("09:00:00"); JSON Schema's `time` format demands one."""
    if isinstance(node, list):
        for item in node:
            _local_times(item)
    elif isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            del node["format"]
            node["pattern"] = LOCAL_TIME
            node.setdefault("example", "09:00:00")
        for value in node.values():
            _local_times(value)


def document_errors(result, generator, request, public):
    """Postprocessing hook: add the error answers an operation can give and does not declare itself.

    A declared error answer without a body schema gets the standard one; a declared schema is kept.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in COMPONENTS.items():
        schemas.setdefault(name, schema)
    _local_times(result)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, answer in _errors_for(path, method, operation, schemas).items():
                declared = responses.get(code)
                if declared is None:
                    responses[code] = answer
                elif "content" not in declared and code != "400":
                    declared["content"] = answer["content"]
                    if "headers" in answer:
                        declared.setdefault("headers", answer["headers"])
            operation["responses"] = dict(sorted(responses.items()))
    return result
