"""`make test` hands each test module whole to one pytest-xdist worker (the Makefile's comment,
docs/decisions.md): only so is a module-scoped fixture built once a run, the demo's minutes of
seeding among them. pytest-xdist's `xdist_group` mark would not do it: version 3.8 applies it
through `item._nodeid`, which pytest 9 no longer reads."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_make_test_runs_each_module_on_one_worker_in_collection_order() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipes = [line.split() for line in makefile.splitlines() if "/bin/pytest " in line]
    assert len(recipes) == 1
    assert recipes[0][recipes[0].index("--dist") + 1] == "loadscope"
    assert "--no-loadscope-reorder" in recipes[0]


def test_no_test_counts_on_the_xdist_group_mark() -> None:
    marked = [
        path.relative_to(REPO).as_posix()
        for path in (REPO / "tests").rglob("*.py")
        if path != Path(__file__).resolve()
        and "mark.xdist_group" in path.read_text(encoding="utf-8")
    ]
    assert marked == []
