"""Import rules: the engine is pure Python (no Qt), the app never imports export/."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(folder: Path) -> dict[str, set[str]]:
    found = {}
    for path in folder.rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_engine_never_imports_qt_or_ui() -> None:
    for path, names in imported_modules(ROOT / "desktop_app" / "engine").items():
        bad = {n for n in names if n.startswith(("PySide6", "desktop_app.ui", "export"))}
        assert not bad, f"{path} imports {bad}"


def test_app_never_imports_training_code() -> None:
    for path, names in imported_modules(ROOT / "desktop_app").items():
        bad = {n for n in names if n.split(".")[0] in {"export", "torch", "transformers"}}
        assert not bad, f"{path} imports {bad}"


def test_headless_triage_loads_no_qt() -> None:
    code = (
        "import sys; from desktop_app.engine.api import Engine; Engine().assess('hello');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'PySide6','torch','export'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_the_window_module_loads_without_the_engine_models() -> None:
    """The window shows before the models load: importing it must not import the engine's rule tables, model
    runtimes or SQLCipher (engine.api loads those names on first use, from the window's worker threads)."""
    code = (
        "import sys; import desktop_app.ui.window;"
        "heavy = ('desktop_app.engine.core', 'desktop_app.engine.session', 'desktop_app.engine.history.store',"
        " 'desktop_app.engine.replies', 'desktop_app.engine.triage.classifier', 'desktop_app.engine.triage.phrases',"
        " 'onnxruntime', 'llama_cpp', 'sqlcipher3', 'argon2', 'regex', 'tokenizers', 'numpy');"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_every_name_of_the_api_resolves() -> None:
    from desktop_app.engine import api

    assert all(getattr(api, name) is not None for name in api.__all__)


def test_the_api_contract_names_every_engine_module_but_the_api_and_errors() -> None:
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    [through_api] = [c for c in contracts if "only through engine.api" in c["name"]]
    engine = ROOT / "desktop_app" / "engine"
    modules = {f"desktop_app.engine.{p.stem if p.is_file() else p.name}" for p in engine.iterdir()
               if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()}
    assert set(through_api["forbidden_modules"]) == modules - {"desktop_app.engine.api", "desktop_app.engine.errors"}
