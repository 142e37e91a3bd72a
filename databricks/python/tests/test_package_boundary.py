"""The production package (voyce_ml: what the jobs runtime, the live worker and the notebooks import) does not
depend on the benchmarks and dev tools (voyce_bench), which are not shipped with it."""

from __future__ import annotations

import ast
from pathlib import Path

import voyce_ml

PACKAGE = Path(voyce_ml.__file__).parent


def _imported_modules(source: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_voyce_ml_imports_nothing_from_the_benchmarks() -> None:
    offenders = {str(f.relative_to(PACKAGE)): sorted(m for m in _imported_modules(f) if m.split(".")[0] == "voyce_bench")
                 for f in PACKAGE.rglob("*.py")}
    assert {f: m for f, m in offenders.items() if m} == {}


def test_no_benchmark_module_is_left_in_the_production_package() -> None:
    assert sorted(p.name for p in PACKAGE.glob("*.py") if p.stem.startswith("bench_") or p.stem in {"keyword_bench", "asr_augment", "compare_heads"}) == []
