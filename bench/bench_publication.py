"""The public unit page of a published month: a unit of 300 people, at each privacy level.

    .venv/bin/python bench/bench_publication.py        # PostgreSQL danhgia_bench_publication

Data (built on first use, reproducible from SEED, bulk inserts): a province with 40
departments of 300 people each in 6 divisions, three closed months of each department with
a decided sheet for everyone (36,000 sheets), the target department's months published
publicly (Publication rows written directly: fixture data, never done outside a benchmark).

Measurements, each the median of 30 requests through Django's test Client (the full stack:
middleware, URL, view, queries, template; no network):
- the month page (publication:public_month) of the target department at each privacy level;
- the same as JSON, and as the embeddable fragment (names without scores);
- a conditional GET answered 304 (If-None-Match);
next to a floor measured in the same run: one SQL fetching the same 300 rows (name, title,
unit, level, score) in page order. Target: every page ≤ 50 ms. Exit status 1 when missed.
"""

import datetime
import random
import sys
import time
from decimal import Decimal

from common import best_of, print_table, setup_django

setup_django("danhgia_bench_publication")

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from danhgia.core.text import collation_key, fold, name_sort_key  # noqa: E402
from danhgia.evaluations.models import Period, Rulebook, Sheet  # noqa: E402
from danhgia.evaluations.shipped import ensure_shipped_rulebooks  # noqa: E402
from danhgia.organisations.models import Person, StaffCategory, Unit, UnitKind  # noqa: E402
from danhgia.reports.publication.models import Privacy, Publication  # noqa: E402

SEED = 20261101
DEPARTMENTS = 40
DIVISIONS = 6
PEOPLE = 300
MONTHS = [datetime.date(2026, 8, 1), datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)]
TARGET_CODE = "BENCH-D00"
TARGET_MS = 50.0
REPEAT = 30
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Hữu", "Thanh", "Quốc", "Thùy"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hạnh", "Khánh", "Linh", "Nam", "Sơn"]
TITLES = ["Chuyên viên", "Chuyên viên chính", "Cán sự", "Phó trưởng phòng", "Trưởng phòng"]
LEVELS = [("excellent", 90), ("good", 70), ("completed", 50), ("not_completed", 0)]

FLOOR_SQL = """
SELECT p.full_name, s.title, u.name, s.decided_level, s.total
FROM evaluations_sheet s
JOIN organisations_person p ON p.id = s.person_id
JOIN organisations_unit u ON u.id = s.unit_id
WHERE s.period_id = %s AND u.path LIKE %s AND s.status = 'decided'
ORDER BY u.path, p.sort_key, s.id
"""


def _unit(code: str, name: str, kind: str, parent: Unit | None) -> Unit:
    unit = Unit.objects.create(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        search_text=fold(f"{name} {code}"),
        sort_key=collation_key(name),
    )
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit


@transaction.atomic
def build() -> None:
    """The province, departments, people, months and sheets (once; later runs reuse them)."""
    rng = random.Random(SEED)
    ensure_shipped_rulebooks()
    rulebook = Rulebook.objects.get(code="ND335-2025", version=1)
    province = _unit("BENCH-TINH", "Tỉnh Đo đạc", UnitKind.PROVINCE, None)
    now = timezone.now()
    for number in range(DEPARTMENTS):
        dept = _unit(f"BENCH-D{number:02d}", f"Sở Đo đạc {number}", UnitKind.DEPARTMENT, province)
        divisions = [
            _unit(f"{dept.code}-P{index}", f"Phòng {index} Sở {number}", UnitKind.DIVISION, dept)
            for index in range(DIVISIONS)
        ]
        people = []
        for index in range(PEOPLE):
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            code = f"B{number:02d}{index:04d}"
            people.append(
                Person(
                    full_name=name,
                    employee_code=code,
                    staff_category=StaffCategory.CIVIL_SERVANT,
                    title=rng.choice(TITLES),
                    unit=divisions[index % DIVISIONS],
                    email=f"{code.lower()}@bench.example.vn",
                    search_text=fold(f"{name} {code}"),
                    sort_key=name_sort_key(name),
                )
            )
        people = Person.objects.bulk_create(people, batch_size=1000)
        for first in MONTHS:
            last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(
                day=1
            ) - datetime.timedelta(days=1)
            period = Period.objects.create(
                organisation=dept,
                start=first,
                end=last,
                rulebook=rulebook,
                state=Period.State.CLOSED,
                self_evaluation_due=last,
                review_due=last,
                decision_due=last,
                opened_at=now,
                closed_at=now,
            )
            sheets = []
            for person in people:
                total = Decimal(rng.randint(4000, 9900)) / 100
                level = next(code for code, floor in LEVELS if total >= floor)
                sheets.append(
                    Sheet(
                        period=period,
                        person=person,
                        unit_id=person.unit_id,
                        title=person.title,
                        total=total,
                        band=level,
                        status=Sheet.Status.DECIDED,
                        decided_level=level,
                        decided_at=now,
                    )
                )
            Sheet.objects.bulk_create(sheets, batch_size=2000)
            if dept.code == TARGET_CODE:
                Publication.objects.create(
                    period=period,
                    audience=Publication.Audience.PUBLIC,
                    privacy=Privacy.NAMES_WITHOUT_SCORES,
                    published_at=now,
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def floor(period: Period, unit: Unit) -> float:
    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [period.pk, f"{unit.path}%"])
            rows = cursor.fetchall()
            assert len(rows) == PEOPLE, len(rows)

    return best_of(run, repeat=REPEAT)


def page(client: Client, url: str, headers: dict[str, str] | None = None) -> tuple[float, int]:
    status = 0

    def run() -> None:
        nonlocal status
        status = client.get(url, headers=headers or {}).status_code

    seconds = best_of(run, repeat=REPEAT)
    return seconds, status


def main() -> None:
    if not Unit.objects.filter(code=TARGET_CODE).exists():
        started = time.perf_counter()
        build()
        print(f"data built in {time.perf_counter() - started:.1f} s")
    unit = Unit.objects.get(code=TARGET_CODE)
    publication = Publication.objects.select_related("period").get(
        period__organisation=unit, period__start=MONTHS[-1], unpublished_at__isnull=True
    )
    month = publication.period.start
    client = Client()
    floor_s = floor(publication.period, unit)
    rows: list[tuple[str, ...]] = []
    missed = False

    def add(label: str, seconds: float, status: int) -> None:
        nonlocal missed
        ms = seconds * 1000
        missed |= ms > TARGET_MS or status not in (200, 304)
        rows.append(
            (label, str(status), f"{ms:.1f}", f"{floor_s * 1000:.2f}", f"{seconds / floor_s:.1f}")
        )

    month_url = reverse("publication:public_month", args=[unit.code, month])
    for privacy in Privacy.values:
        Publication.objects.filter(pk=publication.pk).update(privacy=privacy)
        add(f"month page, {privacy}", *page(client, month_url))
    Publication.objects.filter(pk=publication.pk).update(privacy=Privacy.NAMES_WITHOUT_SCORES)
    json_url = reverse("publication:public_month_json", args=[unit.code, month])
    add("month JSON, names_levels", *page(client, json_url))
    embed_url = reverse("publication:public_month_embed", args=[unit.code, month])
    add("fragment, names_levels", *page(client, embed_url))
    etag = client.get(month_url).headers["ETag"]
    add("month page, 304", *page(client, month_url, {"if-none-match": etag}))
    sheets = Sheet.objects.count()
    print_table(
        f"Public unit page, {PEOPLE} people ({sheets:,} sheets in the database, "
        f"{connection.vendor}), median of {REPEAT}; target ≤ {TARGET_MS:.0f} ms",
        rows,
        ("measurement", "status", "ms", "floor ms (1 SQL, same rows)", "ratio"),
    )
    if missed:
        print("TARGET MISSED")
        sys.exit(1)


if __name__ == "__main__":
    main()
