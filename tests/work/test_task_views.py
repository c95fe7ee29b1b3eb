"""Task pages: they render, forms keep what was typed, htmx gets partials only, lists keep a
constant number of queries."""

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.core.models import AuditLog
from danhgia.work.models import DeadlineExtension, EvidenceFile, ProductType, Task
from danhgia.work.services.extensions import request_extension
from danhgia.work.services.tasks import complete_task
from tests.conftest import World
from tests.factories import PersonFactory
from tests.work.conftest import MakeTask, days, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def client_as():  # type: ignore[no-untyped-def]
    """`client_as(user)`: a new client signed in as `user`, reading the pages in English
    (the msgids), so a test may hold two people's clients at once."""

    def _client(user):  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _client


def _count(client: Any, url: str, **params: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def _text(response: Any) -> str:
    return response.content.decode()


# My tasks


def _one_of_each(world: World, make_task: MakeTask, label: str) -> None:
    make_task(title=f"Quá hạn {label}", start_date=days(-10), due_date=days(-1))
    make_task(title=f"Sắp hạn {label}", due_date=days(3))
    make_task(title=f"Còn xa {label}", due_date=days(30))
    done = make_task(title=f"Đã xong {label}", start_date=days(-3), due_date=days(5))
    complete_task(done, by=world.users["staff"], on=days(0))
    make_task(
        owner="manager", by="head", title=f"Phối hợp {label}", coordinators=[world.people["staff"]]
    )


@pytest.mark.django_db
def test_my_tasks_groups_and_counts(world: World, make_task: MakeTask, client_as) -> None:  # type: ignore[no-untyped-def]
    _one_of_each(world, make_task, "1")
    response = client_as(world.users["staff"]).get(reverse("work:my_tasks"))
    context = response.context
    assert context["counts"] == {"overdue": 1, "due_soon": 1, "done_this_month": 1, "open": 3}
    assert [t.title for t in context["overdue"]] == ["Quá hạn 1"]
    assert [t.title for t in context["due_soon"]] == ["Sắp hạn 1"]
    assert [t.title for t in context["done"]] == ["Đã xong 1"]
    assert [t.title for t in context["page"].object_list] == ["Quá hạn 1", "Sắp hạn 1", "Còn xa 1"]
    assert [t.title for t in context["coordinated"]] == ["Phối hợp 1"]
    text = _text(response)
    assert "Tasks I coordinate" in text and "Phạm Minh Châu" in text
    assert 'class="tag warn">overdue</span>' in text


@pytest.mark.django_db
def test_my_tasks_query_count_is_constant(world: World, make_task: MakeTask, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(world.users["staff"])
    url = reverse("work:my_tasks")
    _one_of_each(world, make_task, "1")
    one = _count(client, url)
    _one_of_each(world, make_task, "2")
    _one_of_each(world, make_task, "3")
    three = _count(client, url)
    assert one == three
    assert one > 0


@pytest.mark.django_db
def test_my_tasks_without_a_person(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(world.users["admin"]).get(reverse("work:my_tasks"))
    assert "not linked to a person" in _text(response)


@pytest.mark.django_db
def test_my_tasks_htmx_pager_gets_the_partial_only(
    world: World, make_task: MakeTask, client_as
) -> None:  # type: ignore[no-untyped-def]
    make_task()
    response = client_as(world.users["staff"]).get(
        reverse("work:my_tasks"), {"page": 1}, headers={"HX-Request": "true"}
    )
    text = _text(response)
    assert text.lstrip().startswith('<div id="open-tasks">')
    assert "<html" not in text


# Board


@pytest.mark.django_db
def test_board_query_count_is_constant(world: World, make_task: MakeTask, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(world.users["head"])
    url = reverse("work:task_board", args=[world.dept.pk])
    make_task(product_type=None)
    one = _count(client, url)
    product = ProductType.objects.create(
        code="VB",
        name="Văn bản tham mưu",
        unit=world.dept,
        unit_of_measure="văn bản",
        coefficient=Decimal("1.5"),
        valid_from=days(-100),
    )
    make_task(owner="hr", by="head", product_type=product)
    make_task(owner="manager", by="head", coordinators=[world.people["staff"]])
    three = _count(client, url)
    assert one == three
    assert one > 0
    assert len(client.get(url).context["page"].object_list) == 3


@pytest.mark.django_db
def test_board_rows_and_filters(world: World, make_task: MakeTask, client_as) -> None:  # type: ignore[no-untyped-def]
    make_task(title="Quá hạn của An", start_date=days(-10), due_date=days(-1))
    make_task(title="Sắp tới của An", due_date=days(3), quantity=Decimal(2))
    make_task(owner="hr", by="head", title="Của Hà", due_date=days(20))
    make_task(owner="staff_other", by="head_other", title="Ở Sở khác")
    client = client_as(world.users["head"])
    url = reverse("work:task_board", args=[world.dept.pk])

    def titles(**params: Any) -> list[str]:
        return [t.title for t in client.get(url, params).context["page"].object_list]

    assert titles() == ["Quá hạn của An", "Sắp tới của An", "Của Hà"]
    assert titles(q="nguyen van an") == ["Quá hạn của An", "Sắp tới của An"]
    assert titles(overdue="on") == ["Quá hạn của An"]
    assert titles(due_from=days(0).strftime("%d/%m/%Y"), due_to=days(5).strftime("%d/%m/%Y")) == [
        "Sắp tới của An"
    ]
    assert titles(status="done") == []
    assert titles(status="open", due_from="not a date") == [
        "Quá hạn của An",
        "Sắp tới của An",
        "Của Hà",
    ]
    text = _text(client.get(url))
    assert "Nguyễn Văn An" in text and "Đặng Thu Hà" in text and "Ở Sở khác" not in text
    assert '<td class="hide-phone">2</td>' in text
    division_only = client.get(reverse("work:task_board", args=[world.division.pk]))
    assert [t.title for t in division_only.context["page"].object_list] == [
        "Quá hạn của An",
        "Sắp tới của An",
    ]


@pytest.mark.django_db
def test_board_htmx_filter_gets_the_results_partial_only(
    world: World, make_task: MakeTask, client_as
) -> None:  # type: ignore[no-untyped-def]
    make_task()
    response = client_as(world.users["manager"]).get(
        reverse("work:task_board", args=[world.division.pk]),
        {"q": "an"},
        headers={"HX-Request": "true"},
    )
    text = _text(response)
    assert text.lstrip().startswith('<div id="results">')
    assert "<html" not in text and "Nguyễn Văn An" in text


# Assigning


def _assign_data(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "title": "Rà soát thủ tục hành chính",
        "owners": [world.people["staff"].pk],
        "source": Task.Source.ASSIGNMENT,
        "quantity": "1",
        "start_date": days(0).strftime("%d/%m/%Y"),
        "due_date": days(7).strftime("%d/%m/%Y"),
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_assign_chooser_offers_people_in_scope_but_not_oneself(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(world.users["manager"]).get(reverse("work:task_assign"))
    people = list(response.context["form"].fields["owners"].queryset)
    assert people == [world.people["staff"]]
    head = client_as(world.users["head"]).get(reverse("work:task_assign"))
    assert sorted(p.full_name for p in head.context["form"].fields["owners"].queryset) == [
        "Nguyễn Văn An",
        "Phạm Minh Châu",
        "Đặng Thu Hà",
    ]


@pytest.mark.django_db
def test_assign_to_several_people_creates_one_task_each(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    colleague = PersonFactory(unit=world.division, full_name="Đỗ Thị Lan")
    client = client_as(world.users["manager"])
    data = _assign_data(world, owners=[world.people["staff"].pk, colleague.pk])
    response = client.post(reverse("work:task_assign"), data)
    assert response.url == reverse("work:task_board", args=[world.division.pk])
    tasks = Task.objects.order_by("owner__full_name")
    assert [(t.owner.full_name, t.title) for t in tasks] == [
        ("Nguyễn Văn An", "Rà soát thủ tục hành chính"),
        ("Đỗ Thị Lan", "Rà soát thủ tục hành chính"),
    ]
    one = client.post(reverse("work:task_assign"), _assign_data(world, title="Một mình"))
    assert one.url == reverse("work:task_detail", args=[Task.objects.get(title="Một mình").pk])


@pytest.mark.django_db
def test_assign_form_keeps_input_on_error(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(world.users["manager"])
    data = _assign_data(
        world,
        due_date=days(-1).strftime("%d/%m/%Y"),
        source=Task.Source.DOCUMENT,
        description="Theo Kế hoạch 15/KH-UBND",
    )
    response = client.post(reverse("work:task_assign"), data)
    text = _text(response)
    assert response.status_code == 200
    assert 'value="Rà soát thủ tục hành chính"' in text
    assert "Theo Kế hoạch 15/KH-UBND" in text
    assert "The due date must not be before the start date." in text
    assert "Give the number of the incoming document." in text
    assert f'value="{world.people["staff"].pk}"' in text and "checked" in text
    assert Task.objects.count() == 0


@pytest.mark.django_db
def test_assign_refuses_people_out_of_scope(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    data = _assign_data(world, owners=[world.people["staff_other"].pk])
    response = client_as(world.users["manager"]).post(reverse("work:task_assign"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["owners"]
    assert Task.objects.count() == 0


@pytest.mark.django_db
def test_assign_with_a_document_and_a_catalogue_product(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    def product(unit: Any, code: str, **extra: Any) -> ProductType:
        values = {
            "code": code,
            "name": f"Sản phẩm {code}",
            "unit": unit,
            "unit_of_measure": "văn bản",
            "coefficient": Decimal("2.0"),
            "valid_from": days(-30),
        }
        values.update(extra)
        return ProductType.objects.create(**values)

    ours = product(world.dept, "BC")
    product(world.dept_other, "KHAC")
    product(world.dept, "CU", valid_to=days(-1))
    client = client_as(world.users["manager"])
    offered = client.get(reverse("work:task_assign")).context["form"].fields["product_type"]
    assert list(offered.queryset) == [ours]
    data = _assign_data(
        world,
        source=Task.Source.DOCUMENT,
        document_number="123/UBND-VP",
        document_date=days(-2).strftime("%d/%m/%Y"),
        product_type=ours.pk,
        quantity="3",
    )
    client.post(reverse("work:task_assign"), data)
    task = Task.objects.get()
    assert (task.document_number, task.document_date) == ("123/UBND-VP", days(-2))
    assert (task.coefficient, task.converted_quantity) == (Decimal("2.00"), Decimal("6.0000"))
    page = _text(client.get(reverse("work:task_detail", args=[task.pk])))
    assert "123/UBND-VP" in page and "<strong>6</strong>" in page


# One task


@pytest.mark.django_db
def test_task_page_shows_each_person_the_actions_they_may_take(
    world: World, task: Task, client_as
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("work:task_detail", args=[task.pk])
    owner = client_as(world.users["staff"]).get(url).context
    assert (owner["can_progress"], owner["can_comment"], owner["can_complete"]) == (
        True,
        True,
        True,
    )
    assert (owner["can_extend"], owner["can_assess"], owner["can_manage"]) == (True, False, False)
    manager = client_as(world.users["manager"]).get(url).context
    assert (manager["can_progress"], manager["can_comment"], manager["can_manage"]) == (
        False,
        True,
        True,
    )
    assert manager["progress_form"].fields["kind"].widget.input_type == "hidden"
    supervisor = client_as(world.users["supervisor"]).get(url)
    context = supervisor.context
    assert not any(
        context[name]
        for name in ["can_progress", "can_comment", "can_complete", "can_extend", "can_manage"]
    )
    assert "<form" not in _text(supervisor).split('<main id="main">')[1]


@pytest.mark.django_db
def test_progress_by_htmx_returns_the_activity_partial(world: World, task: Task, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(world.users["staff"])
    url = reverse("work:task_progress", args=[task.pk])
    data = {
        "kind": "progress",
        "progress": "60",
        "text": "Đã gửi xin ý kiến",
        "evidence": upload("du-thao.pdf", pdf_bytes()),
    }
    response = client.post(url, data, headers={"HX-Request": "true"})
    text = _text(response)
    assert response.status_code == 200
    assert text.lstrip().startswith('<section class="card" id="activity">')
    assert "<html" not in text
    assert "Đã gửi xin ý kiến" in text and "du-thao.pdf" in text
    assert 'value="60"' in text  # the fresh form starts from the new progress
    task.refresh_from_db()
    assert (task.status, task.progress) == ("in_progress", 60)
    error = client.post(
        url, {"kind": "progress", "progress": "150", "text": "Quá"}, headers={"HX-Request": "true"}
    )
    assert _text(error).lstrip().startswith('<section class="card" id="activity">')
    assert "Ensure this value is less than or equal to 100." in _text(error)
    assert "Quá</textarea>" in _text(error)


@pytest.mark.django_db
def test_progress_without_javascript_redirects_and_refused_file_keeps_input(
    world: World, task: Task, client_as
) -> None:  # type: ignore[no-untyped-def]
    client = client_as(world.users["staff"])
    url = reverse("work:task_progress", args=[task.pk])
    two_files = [upload("a.pdf", pdf_bytes()), upload("b.png", png_bytes())]
    response = client.post(
        url, {"kind": "progress", "progress": "20", "text": "Bắt đầu", "evidence": two_files}
    )
    assert response.url == reverse("work:task_detail", args=[task.pk])
    assert sorted(EvidenceFile.objects.values_list("original_name", flat=True)) == [
        "a.pdf",
        "b.png",
    ]
    bad = client.post(
        url,
        {
            "kind": "progress",
            "progress": "30",
            "text": "Kèm ảnh",
            "evidence": upload("anh.pdf", b"\x89PNG\r\n\x1a\nxx"),
        },
    )
    assert bad.status_code == 200
    assert "anh.pdf is a PNG image, but its name ends in .pdf" in _text(
        bad
    ) and "Kèm ảnh</textarea>" in _text(bad)
    assert EvidenceFile.objects.count() == 2
    comment = client_as(world.users["manager"]).post(url, {"kind": "comment", "text": "Nhanh lên"})
    assert comment.status_code == 302
    assert task.updates.filter(kind="comment").get().text == "Nhanh lên"


@pytest.mark.django_db
def test_the_whole_life_of_a_task_through_the_pages(world: World, task: Task, client_as) -> None:  # type: ignore[no-untyped-def]
    staff, manager = client_as(world.users["staff"]), client_as(world.users["manager"])
    detail = reverse("work:task_detail", args=[task.pk])
    assert staff.get(reverse("work:extension_request", args=[task.pk])).status_code == 200
    response = staff.post(
        reverse("work:extension_request", args=[task.pk]),
        {"proposed_deadline": days(15).strftime("%d/%m/%Y"), "reason": "Chờ số liệu"},
    )
    assert response.url == detail
    extension = DeadlineExtension.objects.get()
    page = _text(manager.get(detail))
    assert "Answer the request" in page and "Chờ số liệu" in page
    manager.post(reverse("work:extension_answer", args=[extension.pk]), {"decision": "approve"})
    task.refresh_from_db()
    assert task.deadline == days(15)
    answered = manager.get(reverse("work:extension_answer", args=[extension.pk]))
    assert answered.url == detail
    staff.post(
        reverse("work:task_complete", args=[task.pk]),
        {
            "on": days(0).strftime("%d/%m/%Y"),
            "text": "Xong",
            "evidence": upload("kq.pdf", pdf_bytes()),
        },
    )
    task.refresh_from_db()
    assert task.status == "done" and task.evidence.count() == 1
    error = manager.post(
        reverse("work:task_assess", args=[task.pk]),
        {"meets_quality": "yes", "major_errors": "1", "objective_cause": "on", "note": ""},
    )
    assert "Describe the objective cause" in _text(error)
    assert 'value="1"' in _text(error)
    manager.post(
        reverse("work:task_assess", args=[task.pk]),
        {"meets_quality": "no", "major_errors": "2", "note": "Sai số liệu"},
    )
    task.refresh_from_db()
    assert (task.meets_quality, task.major_errors) == (False, 2)
    page = _text(staff.get(detail))
    assert "does not meet the quality required" in page and "2 major errors" in page
    assert list(
        AuditLog.objects.filter(object_id=str(task.pk), object_type="work.task")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "task.assigned",
        "task.extension_requested",
        "task.extension_answered",
        "task.completed",
        "task.assessed",
    ]


@pytest.mark.django_db
def test_reassign_and_cancel_through_the_pages(
    world: World, make_task: MakeTask, client_as
) -> None:  # type: ignore[no-untyped-def]
    colleague = PersonFactory(unit=world.division, full_name="Đỗ Thị Lan")
    task = make_task()
    manager = client_as(world.users["manager"])
    form = manager.get(reverse("work:task_reassign", args=[task.pk])).context["form"]
    assert list(form.fields["new_owner"].queryset) == [colleague]
    missing_reason = manager.post(
        reverse("work:task_reassign", args=[task.pk]), {"new_owner": colleague.pk}
    )
    assert missing_reason.status_code == 200 and missing_reason.context["form"].errors["reason"]
    manager.post(
        reverse("work:task_reassign", args=[task.pk]),
        {"new_owner": colleague.pk, "reason": "Nghỉ phép"},
    )
    task.refresh_from_db()
    assert task.owner == colleague
    manager.post(reverse("work:task_cancel", args=[task.pk]), {"reason": "Thu hồi văn bản"})
    task.refresh_from_db()
    assert task.status == "cancelled"
    closed = manager.get(reverse("work:task_cancel", args=[task.pk]))
    assert closed.url == reverse("work:task_detail", args=[task.pk])
    assert "Thu hồi văn bản" in _text(manager.get(reverse("work:task_detail", args=[task.pk])))


@pytest.mark.django_db
def test_extension_page_explains_when_the_deadline_has_passed(
    world: World, make_task: MakeTask, client_as
) -> None:  # type: ignore[no-untyped-def]
    task = make_task(start_date=days(-10), due_date=days(-1))
    response = client_as(world.users["staff"]).get(
        reverse("work:extension_request", args=[task.pk])
    )
    text = _text(response)
    assert "extensions are asked before the deadline" in text
    assert 'name="proposed_deadline"' not in text
    request_extension_page = client_as(world.users["staff"]).get(
        reverse("work:task_detail", args=[task.pk])
    )
    assert "extensions are asked before the deadline" in _text(request_extension_page)


@pytest.mark.django_db
def test_pending_extension_blocks_a_second_request_on_the_page(
    world: World, task: Task, client_as
) -> None:  # type: ignore[no-untyped-def]
    request_extension(task, by=world.users["staff"], proposed_deadline=days(12), reason="A")
    response = client_as(world.users["staff"]).get(reverse("work:task_detail", args=[task.pk]))
    assert "An extension is already waiting for an answer." in _text(response)
