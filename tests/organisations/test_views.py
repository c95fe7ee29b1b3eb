import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.core.models import AuditLog
from danhgia.organisations.models import Person, Role, UnitRole
from tests.conftest import SINCE, World
from tests.factories import PersonFactory, UnitFactory


def _count_queries(client, url: str, **params: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_people_list_query_count_is_constant(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hr"])
    url = reverse("organisations:person_list")
    PersonFactory.create_batch(1, unit=world.division_other, full_name="Mẫu Một")
    one = _count_queries(client, url, q="mau")
    PersonFactory.create_batch(2, unit=world.division, full_name="Mẫu Hai")
    three = _count_queries(client, url, q="mau")
    assert one == three


@pytest.mark.django_db
def test_unit_people_query_count_is_constant(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["head"])
    url = reverse("organisations:unit_detail", args=[world.division_other.pk])
    client = login(world.users["hr"])
    one = _count_queries(client, url)
    PersonFactory.create_batch(2, unit=world.division_other)
    three = _count_queries(client, url)
    assert one == three


@pytest.mark.django_db
def test_unit_tree_query_count_is_constant(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hr"])
    url = reverse("organisations:unit_tree")
    before = _count_queries(client, url)
    for index in range(20):
        UnitFactory(code=f"X{index}", name=f"Xã {index}", parent=world.province)
    assert _count_queries(client, url) == before


@pytest.mark.django_db
def test_people_list_pages_and_searches_without_accents(world: World, login) -> None:  # type: ignore[no-untyped-def]
    PersonFactory.create_batch(60, unit=world.division)
    client = login(world.users["hr"])
    page = client.get(reverse("organisations:person_list")).context["page"]
    assert (len(page.object_list), page.paginator.num_pages) == (50, 2)
    found = client.get(reverse("organisations:person_list"), {"q": "tran thi HANH"})
    assert [p.full_name for p in found.context["page"].object_list] == ["Trần Thị Hạnh"]


@pytest.mark.django_db
def test_htmx_search_returns_only_the_results_partial(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hr"])
    response = client.get(
        reverse("organisations:person_list"), {"q": "an"}, headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert text.lstrip().startswith('<div id="results">')
    assert "<html" not in text


@pytest.mark.django_db
def test_people_sorted_by_given_name(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["head"])
    response = client.get(reverse("organisations:unit_detail", args=[world.division.pk]))
    names = [p.full_name for p in response.context["page"].object_list]
    assert names == ["Nguyễn Văn An", "Phạm Minh Châu"]


@pytest.mark.django_db
def test_person_form_keeps_input_and_explains_errors(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hr"])
    data = {
        "full_name": "Lý Thị Mỹ",
        "employee_code": "E-staff",
        "staff_category": "cong_chuc",
        "unit": world.division.pk,
        "active_from": "01/02/2026",
        "active_to": "01/01/2026",
    }
    response = client.post(reverse("organisations:person_create"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'value="Lý Thị Mỹ"' in text
    assert "Ngày kết thúc không được trước ngày bắt đầu." in text
    data["active_to"] = ""
    response = client.post(reverse("organisations:person_create"), data)
    assert "Mã cán bộ này đã được dùng cho người khác." in response.content.decode()
    assert Person.objects.filter(full_name="Lý Thị Mỹ").count() == 0


@pytest.mark.django_db
def test_hr_creates_and_edits_a_person(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hr"])
    data = {
        "full_name": "Lý Thị Mỹ",
        "employee_code": "NV-100",
        "staff_category": "vien_chuc",
        "unit": world.division.pk,
        "active_from": "05/04/2022",
    }
    response = client.post(reverse("organisations:person_create"), data)
    person = Person.objects.get(employee_code="NV-100")
    assert response.url == reverse("organisations:person_detail", args=[person.pk])
    assert person.active_from.isoformat() == "2022-04-05"
    data["title"] = "Kế toán"
    client.post(reverse("organisations:person_edit", args=[person.pk]), data)
    person.refresh_from_db()
    assert person.title == "Kế toán"
    assert list(
        AuditLog.objects.filter(object_id=str(person.pk)).values_list("action", flat=True)
    ) == ["person.updated", "person.created"]
    page = client.get(reverse("organisations:person_detail", args=[person.pk])).content.decode()
    assert "Sửa hồ sơ" in page
    assert "Chức vụ: — → Kế toán" in page


@pytest.mark.django_db
def test_hr_cannot_place_a_person_outside_scope(world: World, login) -> None:  # type: ignore[no-untyped-def]
    UnitRole.objects.filter(user=world.users["hr"]).update(unit=world.dept)
    client = login(world.users["hr"])
    data = {
        "full_name": "Ngoài Phạm Vi",
        "employee_code": "NV-200",
        "staff_category": "cong_chuc",
        "unit": world.division_other.pk,
        "active_from": "01/01/2026",
    }
    response = client.post(reverse("organisations:person_create"), data)
    assert response.status_code == 200
    assert not Person.objects.filter(employee_code="NV-200").exists()


@pytest.mark.django_db
def test_hr_assigns_a_role_to_a_person_with_a_login(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hr"])
    url = reverse("organisations:role_assign", args=[world.division.pk])
    response = client.post(
        url,
        {
            "person": world.people["staff"].pk,
            "role": Role.MANAGER,
            "valid_from": "01/11/2026",
            "include_subunits": "on",
        },
    )
    assert response.status_code == 302
    role = UnitRole.objects.get(user=world.users["staff"])
    page = client.get(reverse("organisations:unit_detail", args=[world.division.pk]))
    assert [r.role for r in page.context["roles"]] == ["manager", "manager"]
    assert (role.role, role.unit, str(role.valid_from)) == ("manager", world.division, "2026-11-01")


@pytest.mark.django_db
def test_database_orders_names_in_vietnamese_dictionary_order(world: World, login) -> None:  # type: ignore[no-untyped-def]
    for name in ["Lê Văn Đức", "Hồ Thị Dung", "Mai Ân", "Tô An", "Lý Ơn", "Vũ Ôn", "Kha On"]:
        PersonFactory(unit=world.division_other, full_name=name)
    client = login(world.users["hr"])
    response = client.get(reverse("organisations:unit_detail", args=[world.division_other.pk]))
    names = [p.full_name for p in response.context["page"].object_list]
    assert names == [
        "Tô An", "Mai Ân", "Lê Thị Bình", "Hồ Thị Dung", "Lê Văn Đức", "Kha On", "Vũ Ôn", "Lý Ơn",
    ]  # fmt: skip


@pytest.mark.django_db
def test_unit_tree_counts_people_with_sub_units(world: World, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["head"])
    rows = client.get(reverse("organisations:unit_tree")).context["rows"]
    assert [(row["name"], row["people"]) for row in rows] == [
        ("Sở Nội vụ", "2 người (cả cấp dưới: 4)"),
        ("Phòng Công chức", "2 người"),
    ]


@pytest.mark.django_db
def test_history_shows_labels_not_codes(world: World, login) -> None:  # type: ignore[no-untyped-def]
    from danhgia.organisations import services

    person = world.people["staff"]
    person.staff_category = "vien_chuc"
    person.active_from = datetime.date(2021, 3, 15)
    services.save_person(person, by=world.users["hr"])
    client = login(world.users["hr"])
    page = client.get(reverse("organisations:person_detail", args=[person.pk])).content.decode()
    assert "Loại cán bộ: công chức → viên chức" in page
    assert "Công tác từ: 01/01/2020 → 15/03/2021" in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", [choice.value for choice in Role])
@pytest.mark.parametrize("viewer", ["staff", "manager", "head", "hr", "supervisor"])
def test_unit_page_lists_every_kind_of_role(world: World, login, role: str, viewer: str) -> None:  # type: ignore[no-untyped-def]
    """Every value of Role has a place in the list (an office role was a server error)."""
    UnitRole.objects.create(
        user=world.users["staff"], unit=world.division, role=role, valid_from=SINCE
    )
    response = login(world.users[viewer]).get(
        reverse("organisations:unit_detail", args=[world.division.pk])
    )
    assert response.status_code == 200
    assert [unit_role.role for unit_role in response.context["roles"]].count(role) >= 1
