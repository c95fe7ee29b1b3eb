"""Issue 15: the chain's head anchored outside the database, and each attack on the audit log
detected against the anchors, naming the row from which the history can no longer be trusted.
Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import json
from html import escape
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from danhgia.core.anchors import parse_line, read_anchors, write_anchor
from danhgia.core.audit import check_chain, log_action, verify_chain
from danhgia.core.models import AuditAnchor, AuditLog
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def anchors(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    settings.AUDIT_ANCHOR_KEY = "test-anchor-key-" + "k" * 32
    return Path(settings.AUDIT_ANCHOR_DIR)


def _rows(count: int, start: int = 0) -> list[AuditLog]:
    user = UserFactory()
    unit = UnitFactory()
    # The rows' transaction commits: they are chained after it, as in the application.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return [log_action(unit, "unit.step", by=user, data={"i": i}) for i in range(start, count)]


def _recompute_from(row_id: int) -> None:
    """What someone with the database and the project's code can do: fix every later hash."""
    previous = AuditLog.objects.filter(id__lt=row_id).order_by("-id").first()
    prev_hash = previous.hash if previous else "0" * 64
    for entry in AuditLog.objects.filter(id__gte=row_id).order_by("id"):
        entry.prev_hash = prev_hash
        entry.hash = entry.compute_hash()
        AuditLog.objects.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, hash=entry.hash)
        prev_hash = entry.hash


def _verify_fails(anchor_dir: Path, *needles: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit_log", "--dir", str(anchor_dir))
    message = str(caught.value)
    for needle in needles:
        assert needle in message, message
    return message


def test_anchor_is_a_signed_line_in_todays_file_and_a_published_row(db, anchors: Path) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(3)
    call_command("anchor_audit_log")
    files = list(anchors.glob("audit-anchors-*.jsonl"))
    assert len(files) == 1
    head = json.loads(files[0].read_text().splitlines()[-1])
    assert (head["audit_id"], head["hash"], head["row_count"]) == (rows[-1].pk, rows[-1].hash, 3)
    assert len(head["hmac"]) == 64
    published = AuditAnchor.objects.get()
    assert (published.audit_id, published.hash, published.line) == (
        rows[-1].pk,
        rows[-1].hash,
        files[0].read_text().splitlines()[-1],
    )
    call_command("verify_audit_log", "--dir", str(anchors))


def test_edited_row_is_named(db, anchors: Path) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(5)
    write_anchor()
    AuditLog.objects.filter(pk=rows[2].pk).update(data={"i": 99})
    report = check_chain(read_anchors().anchors)
    assert (report.broken.pk if report.broken else None, report.untrusted_from) == (
        rows[2].pk,
        rows[2].pk,
    )
    assert report.trusted_until == rows[1].pk
    _verify_fails(anchors, f"row id={rows[2].pk}", "edited")


def test_deleting_the_last_row_is_truncation(db, anchors: Path) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(4)
    write_anchor()
    AuditLog.objects.filter(pk=rows[-1].pk).delete()
    assert verify_chain()[1] is None  # the chain alone cannot see it
    report = check_chain(read_anchors().anchors)
    assert "truncated" in report.why
    assert report.untrusted_from == rows[-2].pk + 1
    _verify_fails(anchors, "truncated", f"ends at row {rows[-2].pk}", f"records row {rows[-1].pk}")


def test_deleting_the_last_500_rows_is_truncation(db, anchors: Path) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(20)
    write_anchor()
    rows += _rows(520)
    write_anchor()
    AuditLog.objects.filter(id__gt=rows[-501].pk).delete()
    assert verify_chain()[1] is None
    report = check_chain(read_anchors().anchors)
    assert "truncated" in report.why
    # The first anchor still holds: rows up to it are proven; the chain ends 500 rows early.
    assert report.anchors_matched == 1
    assert report.trusted_until == rows[19].pk
    _verify_fails(anchors, f"ends at row {rows[-501].pk}", f"records row {rows[-1].pk} (540 rows)")


def test_edit_with_every_later_hash_recomputed_is_caught_by_the_anchor(db, anchors: Path) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(3)
    write_anchor()
    rows += _rows(8, start=3)
    write_anchor()
    AuditLog.objects.filter(pk=rows[5].pk).update(data={"i": 99})
    _recompute_from(rows[5].pk)
    assert verify_chain() == (8, None, "")  # the chain alone says "intact"
    report = check_chain(read_anchors().anchors)
    assert "recomputed or edited since anchor" in report.why
    # Rows up to the first anchor are proven; from the row after it, nothing is.
    assert (report.trusted_until, report.untrusted_from) == (rows[2].pk, rows[3].pk)
    _verify_fails(anchors, "recomputed", f"from row {rows[3].pk}")


def test_deleting_a_middle_row_and_recomputing_is_caught(db, anchors: Path) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(6)
    write_anchor()
    AuditLog.objects.filter(pk=rows[2].pk).delete()
    _recompute_from(rows[3].pk)
    assert verify_chain()[1] is None
    _verify_fails(anchors, "recomputed", f"from row {rows[0].pk}")


def test_forged_anchor_line_is_refused(db, anchors: Path, settings) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(4)
    write_anchor()
    # The attacker edits and recomputes the chain, then rewrites the anchor without the key.
    AuditLog.objects.filter(pk=rows[1].pk).update(data={"i": 99})
    _recompute_from(rows[1].pk)
    path = next(anchors.glob("*.jsonl"))
    head = json.loads(path.read_text())
    head["hash"] = AuditLog.objects.get(pk=rows[-1].pk).hash
    path.write_text(json.dumps(head) + "\n")
    files = read_anchors()
    assert files.anchors == []
    assert "HMAC does not match" in files.refused[0]
    _verify_fails(anchors, "refused", "HMAC does not match", f"{path.name}:1")
    # A line signed with another key is refused the same way.
    settings.AUDIT_ANCHOR_KEY = "another-key"
    write_anchor()
    settings.AUDIT_ANCHOR_KEY = "test-anchor-key-" + "k" * 32
    assert len(read_anchors().refused) == 2


def test_a_broken_chain_is_not_anchored(db, anchors: Path) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(3)
    call_command("anchor_audit_log")
    AuditLog.objects.filter(pk=rows[0].pk).update(data={"i": 99})
    with pytest.raises(CommandError, match="Not anchored"):
        call_command("anchor_audit_log")
    assert AuditAnchor.objects.count() == 1
    assert len(read_anchors().anchors) == 1


def test_empty_chain_and_id_gaps_verify(db, anchors: Path) -> None:  # type: ignore[no-untyped-def]
    call_command("anchor_audit_log")
    assert read_anchors().anchors[0].audit_id == 0
    rows = _rows(2)
    # A rolled-back transaction leaves a gap in ids on PostgreSQL: not evidence of deletion.
    AuditLog.objects.filter(pk=rows[1].pk).update(id=rows[1].pk + 5)
    call_command("anchor_audit_log")
    call_command("verify_audit_log")


def test_the_public_portal_shows_every_signed_head_and_a_feed(db, anchors: Path, client) -> None:  # type: ignore[no-untyped-def]
    _rows(2)
    call_command("anchor_audit_log")
    _rows(3)
    call_command("anchor_audit_log")
    lines = next(anchors.glob("*.jsonl")).read_text().splitlines()
    index = client.get(reverse("publication:public_index")).content.decode()
    assert f'href="{reverse("publication:audit_heads")}"' in index
    page = client.get(reverse("publication:audit_heads"))  # anonymous
    assert page.status_code == 200
    text = page.content.decode()
    for line in lines:
        assert escape(line) in text
    feed = client.get(reverse("publication:audit_heads_atom"))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(feed.content)
    atom = "{http://www.w3.org/2005/Atom}"
    contents = [entry.findtext(f"{atom}summary") for entry in root.iter(f"{atom}entry")]
    assert contents == list(reversed(lines))
    # An archived line is an anchor: the province verifies it with its key.
    assert [parse_line(line, "feed").audit_id for line in contents] == [
        json.loads(line)["audit_id"] for line in reversed(lines)
    ]


def test_nights_without_audited_changes_anchor_the_same_row(db, anchors: Path) -> None:  # type: ignore[no-untyped-def]
    _rows(2)
    call_command("anchor_audit_log")
    call_command("anchor_audit_log")  # nothing audited since: the same head, twice
    call_command("verify_audit_log")
    rows = _rows(2)
    call_command("anchor_audit_log")
    call_command("verify_audit_log")
    assert check_chain(read_anchors().anchors).anchors_matched == 3
    AuditLog.objects.filter(pk=rows[-1].pk).delete()
    _verify_fails(anchors, "truncated")
