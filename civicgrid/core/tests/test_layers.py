"""The layer order holds: a module imports only from its own app and from the layers below it.

    core → audit → workcal, territory → organizations → accounts → cases → inspections → ledgers → assessment
    → briefings → web, open311 → demo (and the project's own urls, settings, celery, wsgi)

Apps of one layer do not import each other. Tests and migrations are exempt (tests build worlds from any layer;
migrations import no application code at all). Code that needs something from above asks for it through a
setting (core.scoping's ACCESS_POLICY), a registry the upper app fills in its AppConfig.ready (photo owners,
export kinds) or a signal (grids_renumbered).
"""

import ast
from pathlib import Path

import civicgrid

LAYERS = [
    {"core"},
    {"audit"},
    {"workcal", "territory"},
    {"organizations"},
    {"accounts"},
    {"cases"},
    {"inspections", "notifications"},
    {"citizens"},
    {"ledgers"},
    {"assessment"},
    {"briefings"},
    {"web", "open311", "field"},
    {"demo"},
]
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}
# The project's wiring sits above every app: apps reach it only through Django (settings) and Celery
# (settings.TASK_QUEUE_APP, imported by name when work is queued), never by importing it.
PROJECT = {"settings", "env", "urls", "api_urls", "celery", "wsgi", "asgi", "__main__"}
PACKAGE = Path(civicgrid.__file__).parent


def imported_apps(path: Path):
    """(line, app) of every civicgrid.<app> import in a module, wherever in the module it is — and of every
    dotted path naming one in a string (what import_string, enqueue and Celery schedules import later)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            parts = node.value.split(".")
            if len(parts) > 2 and parts[0] == "civicgrid" and (parts[1] in LAYER_OF or parts[1] in PROJECT):
                yield node.lineno, parts[1]
            continue
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + ([f"{node.module}.{a.name}" for a in node.names] if node.module == "civicgrid"
                                     else [])
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "civicgrid" and len(parts) > 1 and (parts[1] in LAYER_OF or parts[1] in PROJECT):
                yield node.lineno, parts[1]


def upward_imports() -> list[str]:
    found = []
    for app, level in LAYER_OF.items():
        for path in sorted((PACKAGE / app).rglob("*.py")):
            relative = path.relative_to(PACKAGE)
            if {"tests", "migrations"} & set(relative.parts):
                continue
            for line, target in imported_apps(path):
                if target != app and LAYER_OF.get(target, len(LAYERS)) >= level:
                    found.append(f"civicgrid/{relative}:{line} imports {target}")
    return found


def test_every_app_has_a_layer():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists()}
    assert apps == set(LAYER_OF)


def test_no_module_imports_upwards():
    assert upward_imports() == []


def test_the_rule_sees_an_upward_import(tmp_path, monkeypatch):
    """The check itself: a core module importing cases is reported."""
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "bad.py").write_text("def f():\n    from civicgrid.cases import services\n")
    for app in LAYER_OF:
        (tmp_path / app).mkdir(exist_ok=True)
    monkeypatch.setitem(globals(), "PACKAGE", tmp_path)
    (tmp_path / "core" / "worse.py").write_text('from civicgrid.celery import app\nPATH = "civicgrid.web.views.x"\n')
    assert upward_imports() == ["civicgrid/core/bad.py:2 imports cases", "civicgrid/core/worse.py:1 imports celery",
                                "civicgrid/core/worse.py:2 imports web"]
