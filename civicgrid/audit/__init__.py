"""The security audit log: who did what, from where, kept append-only.

A low-level app: it depends only on Django and civicgrid.core, so every domain app may call `record`.
"""


def record(kind, *, actor=None, request=None, target: str = "", **detail):
    """Append one audit event; see `civicgrid.audit.services.record`."""
    # Imported here because this package is imported before the app registry is ready.
    from civicgrid.audit.services import record as _record

    return _record(kind, actor=actor, request=request, target=target, **detail)
