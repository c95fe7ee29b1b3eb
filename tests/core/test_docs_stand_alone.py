"""The repository stands alone: no file points at a document or path outside it, and every
"docs/domain.md §N" the code cites is a section of docs/domain.md."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "docs" / "domain.md"

# Written in pieces so that this file, scanned with the others, does not match itself.
OUTSIDE_SPEC = "DOMAIN" + ".md"
OUTSIDE_DIR = re.compile(r"(?<![\w.-])/" + "work/")
RELATIVE = re.compile(r"(?<![\w./-])((?:\.\./)+[\w.@-][\w./@-]*)")
CITATION = re.compile(r"docs/domain\.md((?:(?:\s*,\s*|\s+and\s+|\s+)§\d+)+)")
SECTION = re.compile(r"^## (\d+)\. \S", re.MULTILINE)

# Third-party files, kept as their authors wrote them.
VENDORED = ("static/vendor/",)
# Relative paths that are deliberately hostile input (upload names trying to climb out of the
# storage folder), not references to files.
TRAVERSAL_SAMPLES = {("tests/security/test_uploads.py", "../" * 4 + "etc/cron.d/bao-cao.pdf")}


def repository_files() -> list[str]:
    """Tracked files, and new files not yet added (so a mistake fails before the commit)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the list of tracked files is unknown")
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return sorted({name for name in listed.split("\0") if name})


def read_text(name: str) -> str | None:
    path = ROOT / name
    if name.startswith(VENDORED) or not path.is_file():
        return None
    data = path.read_bytes()
    if b"\0" in data:
        return None  # binary (fonts, images, compiled catalogues)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def outside_references(name: str, text: str) -> list[str]:
    """What in `text` (the file `name`, relative to the root) points outside the repository."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        where = f"{name}:{number}"
        if OUTSIDE_SPEC in line:
            problems.append(f"{where}: cites {OUTSIDE_SPEC}, which is not in the repository")
        if OUTSIDE_DIR.search(line):
            problems.append(f"{where}: names a path of the development machine: {line.strip()}")
        for match in RELATIVE.finditer(line):
            target = match.group(1)
            if (name, target) in TRAVERSAL_SAMPLES:
                continue
            resolved = os.path.normpath(os.path.join(os.path.dirname(name), target))
            if resolved == ".." or resolved.startswith("../"):
                problems.append(f"{where}: {target} leads outside the repository")
    return problems


def cited_sections(text: str) -> set[int]:
    return {
        int(number)
        for match in CITATION.finditer(text)
        for number in re.findall(r"§(\d+)", match.group(1))
    }


def domain_sections() -> set[int]:
    return {int(number) for number in SECTION.findall(DOMAIN.read_text())}


def test_no_file_points_outside_the_repository() -> None:
    problems = []
    for name in repository_files():
        text = read_text(name)
        if text is not None:
            problems += outside_references(name, text)
    assert not problems, "\n".join(problems)


def test_every_cited_section_of_the_domain_page_exists() -> None:
    sections = domain_sections()
    missing = []
    cited: set[int] = set()
    for name in repository_files():
        text = read_text(name)
        if text is None:
            continue
        numbers = cited_sections(text)
        cited |= numbers
        missing += [f"{name}: docs/domain.md §{n}" for n in sorted(numbers - sections)]
    assert not missing, "cited sections that docs/domain.md does not have:\n" + "\n".join(missing)
    assert cited, "the code cites docs/domain.md by section; none found"


def test_the_domain_page_numbers_its_sections_in_order_and_its_own_references_exist() -> None:
    text = DOMAIN.read_text()
    numbers = [int(number) for number in SECTION.findall(text)]
    assert numbers == list(range(1, len(numbers) + 1))
    body = text.split("\n## 1. ", 1)[1]
    own = {int(number) for number in re.findall(r"§(\d+)", body)}
    assert own <= set(numbers), f"docs/domain.md refers to missing sections {own - set(numbers)}"


def test_the_checks_catch_each_kind_of_outside_reference() -> None:
    """The scanner itself: each kind of reference found, inside paths and samples left alone."""
    UP = "../"
    bad = [
        ("danhgia/x.py", f'"""Scores as {OUTSIDE_SPEC} §4 says."""'),
        ("docs/x.md", "See [the style guide](" + UP * 2 + "shared/docs/STYLE.md)."),
        ("danhgia/work/x.py", "# spec: " + UP * 3 + "seed/article.txt"),
        ("README.md", "Read /" + "work/shared/docs/STYLE.md first."),
        ("config/x.py", 'PATH = "file:///' + 'work/main/var"'),
    ]
    for name, text in bad:
        assert outside_references(name, text), (name, text)
    good = [
        ("docs/benchmarks.md", "[bench/README.md](../bench/README.md)"),
        ("static/css/print.css", "src: url(../fonts/LiberationSerif-Regular.ttf)"),
        ("tests/conftest.py", '"tests/work/", "danhgia/work/services/deadlines.py"'),
        ("tests/security/test_uploads.py", f'"{UP * 4}etc/cron.d/bao-cao.pdf",'),
        ("danhgia/x.py", "# the rules: docs/domain.md §5"),
    ]
    for name, text in good:
        assert not outside_references(name, text), (name, text)


def test_citations_are_read_with_every_section_they_name() -> None:
    assert cited_sections("(docs/domain.md §17, §15) and docs/domain.md §5") == {5, 15, 17}
    assert cited_sections("docs/domain.md §9 and §16; docs/domain.md") == {9, 16}
