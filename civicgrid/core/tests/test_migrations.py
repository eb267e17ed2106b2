"""Migrations never run application code (decision 0009).

A migration may name a module of CivicGrid only as `import civicgrid.<app>.<module>` at its top, and use it
only inside a field's arguments (a validator, a default, upload_to): Django needs those callables to rebuild
the field. Data (default rows) comes from `civicgrid load_defaults`, not from RunPython; indexes and
constraints come from the models' Meta, not from RunSQL or the schema editor's private methods.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import civicgrid

ROOT = Path(civicgrid.__file__).parent
MIGRATIONS = sorted(p for p in ROOT.glob("*/migrations/*.py") if p.name != "__init__.py")
FIELD_ARGUMENTS = {"validators", "default", "upload_to", "storage", "limit_choices_to", "db_default"}


def _is_field(call: ast.Call) -> bool:
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    return name.endswith(("Field", "ForeignKey", "Key"))


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def problems(source: str) -> list[str]:
    """What in this migration's source runs or names application code outside a field definition."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "civicgrid":
            found.append(f"line {line}: from {node.module} import …")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "civicgrid":
                    continue
                if parents.get(node) is not tree:
                    found.append(f"line {line}: import {alias.name} inside a function")
                elif alias.asname:
                    found.append(f"line {line}: import {alias.name} as {alias.asname}")
        elif isinstance(node, ast.Call):
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if callee in ("import_module", "__import__", "RunSQL"):
                found.append(f"line {line}: {callee}(…)")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("_") and _root_name(node) == "schema_editor":
                found.append(f"line {line}: schema_editor.{node.attr} (a private API)")
            if _root_name(node) == "civicgrid" and not isinstance(parents.get(node), ast.Attribute):
                keyword = parents.get(node)
                while keyword is not None and not isinstance(keyword, ast.keyword):
                    keyword = parents.get(keyword)
                call = parents.get(keyword) if keyword is not None else None
                if not (keyword is not None and keyword.arg in FIELD_ARGUMENTS
                        and isinstance(call, ast.Call) and _is_field(call)):
                    found.append(f"line {line}: civicgrid.… used outside a field's arguments")
        elif isinstance(node, ast.FunctionDef) and any(
            isinstance(n, ast.Name | ast.Attribute) and _root_name(n) == "civicgrid" for n in ast.walk(node)
        ):
            found.append(f"line {line}: function {node.name} uses civicgrid")
    return found


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_a_migration_imports_application_code_only_for_field_callables(path):
    assert problems(path.read_text(encoding="utf-8")) == []


def test_there_are_migrations_to_check():
    assert len(MIGRATIONS) >= 12


@pytest.mark.parametrize("source", [
    # A data migration reading today's application data (what cases 0002 did).
    "from django.db import migrations\n"
    "def load(apps, schema_editor):\n"
    "    from civicgrid.cases.rulebook import DEFAULT_RULEBOOK\n"
    "class Migration(migrations.Migration):\n"
    "    operations = [migrations.RunPython(load)]\n",
    # Another migration loaded by module path (what cases 0009 did).
    "import importlib\n"
    "rulebook = importlib.import_module('civicgrid.cases.migrations.0002_default_rulebook')\n",
    # An index dropped through the schema editor's internals (what cases 0012 did).
    "def drop(apps, schema_editor):\n"
    "    schema_editor.execute(schema_editor._delete_index_sql(None, 'x'))\n",
    # Application code called outside a field.
    "import civicgrid.cases.rulebook\n"
    "ROWS = civicgrid.cases.rulebook.DEFAULT_RULEBOOK\n",
    "from django.db import migrations\n"
    "class Migration(migrations.Migration):\n"
    "    operations = [migrations.RunSQL('CREATE INDEX x ON cases_case (place_id)')]\n",
])
def test_the_check_catches_what_the_old_migrations_did(source):
    assert problems(source)


def test_the_check_allows_field_callables():
    source = (
        "import civicgrid.core.validators\nimport civicgrid.open311.models\nfrom django.db import migrations, models\n"
        "F = models.DateField(validators=[civicgrid.core.validators.supported_date])\n"
        "K = models.CharField(default=civicgrid.open311.models.new_key, max_length=64)\n"
    )
    assert problems(source) == []


def test_a_fresh_database_gets_every_default_from_migrate(tmp_path):
    """`migrate` on an empty SQLite file loads the defaults; `load_defaults` afterwards finds nothing to do."""
    environment = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "VAR_DIR": str(tmp_path),
                   "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "civicgrid.settings"}

    def civicgrid_command(*args):
        return subprocess.run([sys.executable, "-m", "civicgrid", *args], env=environment, capture_output=True,
                              text=True, check=True, timeout=300).stdout

    migrated = civicgrid_command("migrate", "--no-input")
    assert "Defaults: 150 rows created." in migrated, migrated
    again = civicgrid_command("load_defaults")
    assert "nothing to create" in again, again
