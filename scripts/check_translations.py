"""Fail when the Vietnamese catalogue is incomplete, stale or not compiled.

Checks, in order:
1. locale/vi/LC_MESSAGES/django.po has no untranslated or fuzzy entry (the header included);
2. the committed django.mo holds exactly the .po's translations (compared entry by entry, so
   it does not matter whether GNU msgfmt or another compiler wrote it);
3. with GNU gettext installed: `msgfmt --check` accepts the .po (placeholders such as
   %(name)s kept), and `makemessages -l vi --no-location --no-obsolete`, run on a temporary
   copy of the tree, would not change the .po (no string added or removed in the code since).

Without gettext, check 3 is skipped with a notice, except under CI=true, where it fails.
Only the standard library is used; the working tree is never modified.
"""

import gettext
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO_NAME = Path("locale/vi/LC_MESSAGES/django.po")
MO_NAME = PO_NAME.with_suffix(".mo")
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "var", "node_modules", "__pycache__", "*.pyc", "*_cache", "*.egg-info"
)


@dataclass
class Entry:
    context: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.context, self.msgid, self.msgid_plural)

    @property
    def label(self) -> str:
        text = self.msgid if len(self.msgid) <= 60 else self.msgid[:57] + "..."
        return f"line {self.line}: {text!r}"


def unquote(text: str) -> str:
    """The content of one quoted .po string, with its C escapes resolved."""
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a quoted string: {text}")
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    out, chars = [], iter(text[1:-1])
    for char in chars:
        out.append(escapes.get(next(chars, ""), "?") if char == "\\" else char)
    return "".join(out)


def parse_po(path: Path) -> list[Entry]:
    """Active entries of a .po file (obsolete `#~` entries are dropped), header first."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None  # which field continuation lines extend

    def finish() -> None:
        nonlocal entry
        if entry.msgstr or entry.msgid:
            entries.append(entry)
        entry = Entry()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry.msgstr:
                finish()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}:{number}: continuation line without a field")
            name, index = target
            value = unquote(line)
        elif keyword in {"msgctxt", "msgid"} and entry.msgstr:
            finish()
            name, index, value = keyword, 0, unquote(rest)
        elif keyword.startswith("msgstr["):
            name, index, value = "msgstr", int(keyword[7:-1]), unquote(rest)
        elif keyword in {"msgctxt", "msgid", "msgid_plural", "msgstr"}:
            name, index, value = keyword, 0, unquote(rest)
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
        if not entry.line:
            entry.line = number
        if name == "msgctxt":
            entry.context = (entry.context or "") + value
        elif name == "msgid":
            entry.msgid += value
        elif name == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        else:
            entry.msgstr[index] = entry.msgstr.get(index, "") + value
        target = (name, index)
    finish()
    return entries


def is_untranslated(entry: Entry) -> bool:
    return not entry.msgstr or any(not text for text in entry.msgstr.values())


def expected_catalog(entries: list[Entry]) -> dict[object, str]:
    """What a .mo compiled from these entries holds, keyed as `gettext.GNUTranslations` keys."""
    catalog: dict[object, str] = {}
    for entry in entries:
        if entry.msgid == "" or "fuzzy" in entry.flags or is_untranslated(entry):
            continue
        msgid = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            catalog[msgid] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                catalog[(msgid, index)] = text
    return catalog


def check_po(entries: list[Entry]) -> list[str]:
    problems = []
    for entry in entries:
        name = "the header" if entry.msgid == "" else entry.label
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {name}")
        elif entry.msgid and is_untranslated(entry):
            problems.append(f"untranslated: {name}")
    return problems


def check_mo(entries: list[Entry], mo_path: Path) -> list[str]:
    if not mo_path.exists():
        return [f"{MO_NAME} is missing: run `manage.py compilemessages` and commit it"]
    with mo_path.open("rb") as handle:
        compiled = dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    compiled.pop("", None)  # the header
    expected = expected_catalog(entries)
    if compiled == expected:
        return []
    stale = sorted(str(key) for key in expected.keys() ^ compiled.keys())[:5]
    changed = sorted(
        str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k]
    )
    detail = "; ".join(f"{key!r}" for key in (stale + changed[:5]))
    return [f"{MO_NAME} is out of date with {PO_NAME} ({detail}): run compilemessages"]


def check_with_gettext(po_path: Path) -> list[str]:
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--output-file=/dev/null", str(po_path)],  # noqa: S607
        capture_output=True,
        text=True,
    )
    if result.returncode:
        return [f"msgfmt --check: {result.stderr.strip()}"]
    with tempfile.TemporaryDirectory(prefix="danhgia-messages-") as tmp:
        copy = Path(tmp) / "tree"
        shutil.copytree(ROOT, copy, ignore=COPY_IGNORE)
        env = {**os.environ, "DANHGIA_VAR_DIR": str(Path(tmp) / "var")}
        env.pop("DATABASE_URL", None)
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location"]
            + ["--no-obsolete", "--verbosity", "0"],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            return [f"makemessages failed: {result.stderr.strip()}"]
        fresh = parse_po(copy / PO_NAME)
    current = parse_po(po_path)
    current_keys = {entry.key: entry for entry in current}
    fresh_keys = {entry.key: entry for entry in fresh}
    problems = [
        f"new in the code, missing from the .po: {fresh_keys[key].label}"
        for key in fresh_keys.keys() - current_keys.keys()
    ]
    problems += [
        f"gone from the code, still in the .po: {current_keys[key].label}"
        for key in current_keys.keys() - fresh_keys.keys()
    ]
    if problems:
        problems[-1] += (
            "\n  -> run `manage.py makemessages -l vi --no-location --no-obsolete`, translate,"
            " then `manage.py compilemessages`"
        )
    return problems


def main() -> int:
    po_path = ROOT / PO_NAME
    if not po_path.exists():
        print(f"{PO_NAME} is missing.")
        return 1
    entries = parse_po(po_path)
    problems = check_po(entries) + check_mo(entries, ROOT / MO_NAME)
    if shutil.which("msgfmt") and shutil.which("xgettext"):
        problems += check_with_gettext(po_path)
    elif os.environ.get("CI", "").lower() in {"1", "true"}:
        problems.append("GNU gettext is not installed (apt install gettext): required in CI")
    else:
        print("Notice: GNU gettext not installed; skipped the makemessages and msgfmt checks.")
    for problem in problems:
        print(problem)
    translated = len(expected_catalog(entries))
    print(f"{PO_NAME}: {translated} translated, {len(problems)} problem(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
