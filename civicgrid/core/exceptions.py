"""Maps domain errors raised in services to HTTP answers."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(Exception):
    """The request lost a race or no longer fits the record's state (HTTP 409); `payload` says what is true now."""

    def payload(self) -> dict:
        return {"detail": str(self)}


class QuotaExceeded(DjangoValidationError):
    """The account has used its allowance for now (HTTP 429 in the API; a form error on pages)."""


def message_text(exc: Exception) -> str:
    """A domain error as one line for a page: every message of a ValidationError (field errors included),
    otherwise the error's own text."""
    if isinstance(exc, DjangoValidationError):
        return "；".join(exc.messages)
    return str(exc)


def exception_handler(exc, context):
    """Map domain errors raised in services to HTTP answers with field messages."""
    if isinstance(exc, Conflict):
        return Response(exc.payload(), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, QuotaExceeded):
        return Response(exc.message_dict, status=status.HTTP_429_TOO_MANY_REQUESTS)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
