"""The import contracts of pyproject.toml ([tool.importlinter]) hold.

import-linter rather than a checker of our own: it builds the import graph with grimp
(imports inside functions included, which is where Sentra's cycles used to hide),
names the chain that breaks a contract, and its contract types (acyclic siblings,
layers, forbidden) say what we mean without code to maintain.
"""

from __future__ import annotations

import json
import textwrap
import tomllib
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[3]


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_it_keeps_every_import_contract(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    code = lint_imports(no_cache=True)
    assert code == 0, capsys.readouterr().out


def test_every_app_is_under_the_layers_and_lib_contracts():
    apps = sorted(
        p.name
        for p in (ROOT / "sentra").iterdir()
        if (p / "__init__.py").exists() and p.name not in ("lib", "testing")
    )
    contracts = _contracts()
    assert sorted(c.removeprefix("sentra.") for c in contracts["layers"]["containers"]) == apps
    forbidden = {m.removeprefix("sentra.") for m in contracts["lib"]["forbidden_modules"]}
    assert set(apps) <= forbidden
    audited = {m.removeprefix("sentra.") for m in contracts["audit"]["source_modules"]}
    assert set(apps) - {"audit"} <= audited


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """A package shaped like Sentra, checked with Sentra's own contracts."""
    pkg = tmp_path / "toy"
    for app in ("lib", "atlas", "coaching"):
        (pkg / app / "tests").mkdir(parents=True)
        for name in ("__init__.py", "tests/__init__.py"):
            (pkg / app / name).write_text("")
    (pkg / "__init__.py").write_text("")

    def write(path: str, text: str) -> None:
        (pkg / path).write_text(textwrap.dedent(text))

    contracts = _contracts()
    config = ["[tool.importlinter]", 'root_package = "toy"']
    for key in ("acyclic", "layers", "lib"):
        contract = dict(contracts[key])
        # Only the tests' licence: the named exceptions do not exist in the toy.
        contract["ignore_imports"] = [
            i for i in contract.get("ignore_imports", []) if ".tests" in i
        ]
        if "containers" in contract:
            contract["containers"] = ["sentra.atlas", "sentra.coaching"]
        if key == "lib":
            contract["forbidden_modules"] = ["sentra.atlas", "sentra.coaching"]
        config.append("[[tool.importlinter.contracts]]")
        for field, value in contract.items():
            # JSON is valid TOML for strings, lists and booleans.
            config.append(f"{field} = {json.dumps(value).replace('sentra', 'toy')}")
    (tmp_path / "pyproject.toml").write_text("\n".join(config) + "\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    write("atlas/selectors.py", "from toy.coaching import selectors\n")
    write("coaching/selectors.py", "X = 1\n")
    # Tests and factories may import anything (and each licence must match something).
    write("atlas/tests/test_x.py", "from toy.coaching import services\n")
    write("lib/tests/test_x.py", "from toy.atlas import selectors\n")
    (pkg / "testing").mkdir()
    write("testing/__init__.py", "")
    write("testing/factories.py", "from toy.atlas import selectors\n")
    write("coaching/services.py", "def f():\n    from toy.atlas import selectors\n")
    return write


def test_a_new_cycle_between_apps_fails_even_inside_a_function(toy, capsys):
    assert lint_imports(no_cache=True) != 0
    assert "- .coaching -> .atlas" in capsys.readouterr().out


def test_an_upward_import_in_an_app_fails(toy, capsys):
    toy("coaching/services.py", "X = 2\n")
    toy("coaching/selectors.py", "def f():\n    from toy.coaching import services\n")
    assert lint_imports(no_cache=True) != 0
    assert "toy.coaching.selectors is not allowed to import toy.coaching.services" in (
        capsys.readouterr().out
    )


def test_lib_reaching_into_an_app_fails_and_a_clean_toy_passes(toy, capsys):
    toy("coaching/services.py", "X = 2\n")
    assert lint_imports(no_cache=True) == 0, capsys.readouterr().out
    toy("lib/helpers.py", "def f():\n    from toy.atlas import selectors\n")
    assert lint_imports(no_cache=True) != 0
