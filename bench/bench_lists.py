"""People list of a unit with 2,000 people, and the tree of 5,000 units.

Prints server time and query count of each page beside a floor: the same rows fetched with
one raw SQL query in the same run. Run: .venv/bin/python bench/bench_lists.py
"""

import datetime

from common import best_of, print_table, setup_django

setup_django("danhgia_bench_lists")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from danhgia.accounts.models import User  # noqa: E402
from danhgia.core.text import collation_key, fold, name_sort_key  # noqa: E402
from danhgia.organisations.models import Person, Role, Unit, UnitKind, UnitRole  # noqa: E402
from danhgia.organisations.services import rebuild_unit_paths  # noqa: E402

UNITS = 5000
PEOPLE_IN_BIG_UNIT = 2000


def build() -> tuple[User, Unit]:
    if Unit.objects.filter(code="B-ROOT").exists():
        return User.objects.get(username="bench-hr"), Unit.objects.get(code="B-0001")
    root = Unit.objects.create(code="B-ROOT", name="Tỉnh Benchmark", kind=UnitKind.PROVINCE)
    units = [
        Unit(
            code=f"B-{i:04d}",
            name=f"Đơn vị {i}",
            kind=UnitKind.DEPARTMENT,
            parent=root,
            search_text=fold(f"Đơn vị {i}"),
            sort_key=collation_key(f"Đơn vị {i}"),
        )
        for i in range(1, UNITS)
    ]
    Unit.objects.bulk_create(units, batch_size=1000)
    rebuild_unit_paths()
    big = Unit.objects.get(code="B-0001")
    people = []
    for i in range(PEOPLE_IN_BIG_UNIT):
        name = f"Nguyễn Văn Thử {i}"
        people.append(
            Person(
                full_name=name,
                employee_code=f"BP{i:06d}",
                staff_category="cong_chuc",
                unit=big,
                search_text=fold(name),
                sort_key=name_sort_key(name),
            )
        )
    Person.objects.bulk_create(people, batch_size=1000)
    user = User.objects.create(username="bench-hr")
    UnitRole.objects.create(
        user=user, unit=root, role=Role.HR_OFFICER, valid_from=datetime.date(2020, 1, 1)
    )
    return user, big


def measure(client: Client, url: str) -> tuple[float, int, int]:
    client.get(url)  # warm-up: session, caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # captured_queries is computed lazily: read it now
    assert response.status_code == 200, response.status_code
    seconds = best_of(lambda: client.get(url))
    return seconds, count, len(response.content)


def floor(sql: str, params: list) -> float:
    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return best_of(run)


def main() -> None:
    user, big = build()
    client = Client()
    client.force_login(user)
    rows = []
    tree_s, tree_q, tree_bytes = measure(client, reverse("organisations:unit_tree"))
    tree_floor = floor(
        "SELECT u.id, u.name, u.kind, u.path, u.depth, COUNT(p.id) FROM organisations_unit u "
        "LEFT JOIN organisations_person p ON p.unit_id = u.id GROUP BY u.id ORDER BY u.path",
        [],
    )
    rows.append(
        (
            "unit tree, 5,000 units",
            f"{tree_s * 1000:.1f}",
            str(tree_q),
            f"{tree_floor * 1000:.1f}",
            f"{tree_s / tree_floor:.1f}×",
        )
    )
    detail_url = reverse("organisations:unit_detail", args=[big.pk])
    for page in (1, 40):
        seconds, count, _ = measure(client, f"{detail_url}?page={page}")
        low = floor(
            "SELECT p.id, p.full_name, p.title, p.employee_code, u.name "
            "FROM organisations_person p "
            "JOIN organisations_unit u ON u.id = p.unit_id WHERE p.unit_id = %s "
            "ORDER BY p.sort_key, p.id LIMIT 50 OFFSET %s",
            [big.pk, (page - 1) * 50],
        )
        rows.append(
            (
                f"unit page, 2,000 people, page {page}",
                f"{seconds * 1000:.1f}",
                str(count),
                f"{low * 1000:.1f}",
                f"{seconds / low:.1f}×",
            )
        )
    seconds, count, _ = measure(
        client, reverse("organisations:person_list") + "?q=nguyen+van+thu+19"
    )
    low = floor(
        "SELECT p.id, p.full_name, p.title, p.employee_code, u.name "
        "FROM organisations_person p "
        "JOIN organisations_unit u ON u.id = p.unit_id WHERE p.search_text LIKE %s "
        "AND p.search_text LIKE %s AND p.search_text LIKE %s AND p.search_text LIKE %s "
        "ORDER BY p.sort_key, p.id LIMIT 50",
        ["%nguyen%", "%van%", "%thu%", "%19%"],
    )
    rows.append(
        (
            "people search 'nguyen van thu 19'",
            f"{seconds * 1000:.1f}",
            str(count),
            f"{low * 1000:.1f}",
            f"{seconds / low:.1f}×",
        )
    )
    print_table(
        f"Lists on {connection.vendor} (median of 5; tree page {tree_bytes // 1024} KiB)",
        rows,
        ("page", "server ms", "queries", "floor ms (1 raw SQL)", "ratio"),
    )


if __name__ == "__main__":
    main()
