"""No function over 60 lines and no class over 150 in the transforms, the orchestration (flows/,
models/), the suites' code (expectations/) and the run report (report/): a longer one is several
steps that want names of their own."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("transforms", "flows", "models", "expectations", "report")
MAX_LINES = {ast.FunctionDef: 60, ast.AsyncFunctionDef: 60, ast.ClassDef: 150}


def too_long(folder: Path) -> list[str]:
    """`path:line name (n lines)` of each function or class of the folder's modules over its limit,
    counted from the def (decorators left out) to its last line."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            limit = MAX_LINES.get(type(node))
            if limit and (lines := node.end_lineno - node.lineno + 1) > limit:
                where = f"{path.relative_to(folder.parent)}:{node.lineno}"
                found.append(f"{where} {node.name} ({lines} lines, limit {limit})")
    return found


@pytest.mark.parametrize("folder", CHECKED)
def test_no_function_over_60_lines_and_no_class_over_150(folder):
    assert too_long(ROOT / folder) == []


def test_the_check_finds_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(60))
    (tmp_path / "long.py").write_text(f"def short():\n    pass\n\n\ndef long():\n{body}\n", encoding="utf-8")
    assert [hit.split(" ", 1)[1] for hit in too_long(tmp_path)] == ["long (61 lines, limit 60)"]
