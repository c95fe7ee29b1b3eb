"""Plan pages: lists and editor with constant queries, htmx partials, forms keeping input,
the decision buttons."""

import datetime

import pytest
from django.urls import reverse

from danhgia.work.models import PlanItem, Task, WorkPlan
from danhgia.work.services import plans as services
from tests.conftest import World
from tests.factories import PersonFactory, UserFactory
from tests.work.test_plan_helpers import (
    FIRST_OF_MONTH,
    approved_plan,
    count_queries,
    english_client,
    first_item,
    staff_plan,
    submitted_plan,
)

HTMX = {"HTTP_HX_REQUEST": "true"}
DUE = (FIRST_OF_MONTH + datetime.timedelta(days=25)).strftime("%d/%m/%Y")


def _colleague_plan(world: World, index: int) -> WorkPlan:
    """A submitted plan of another staff member of the division."""
    person = PersonFactory(unit=world.division, user=UserFactory(username=f"cv{index}"))
    plan = services.create_plan(world.division, person, FIRST_OF_MONTH, by=person.user)
    services.add_item(
        plan,
        by=person.user,
        title="Việc",
        due_date=FIRST_OF_MONTH + datetime.timedelta(days=3),
    )
    return services.submit_plan(plan, by=person.user)


@pytest.mark.django_db
def test_plan_list_query_count_is_constant(world: World) -> None:
    client = english_client(world.users["manager"])
    url = reverse("work:plan_list")
    _colleague_plan(world, 1)
    services.create_plan(world.division, None, FIRST_OF_MONTH, by=world.users["manager"])
    one = count_queries(client, url)
    _colleague_plan(world, 2)
    _colleague_plan(world, 3)
    manager = world.people["manager"]
    for month in (FIRST_OF_MONTH.replace(year=2030), FIRST_OF_MONTH.replace(year=2031)):
        services.create_plan(world.division, manager, month, by=manager.user)
        services.create_plan(world.division, None, month, by=manager.user)
    page = client.get(url).content.decode()
    assert page.count(reverse("work:plan_edit", args=[1]).rsplit("1/", 1)[0]) >= 9
    assert count_queries(client, url) == one > 0


@pytest.mark.django_db
def test_plan_list_sections(world: World) -> None:
    plan = submitted_plan(world)
    staff_page = english_client(world.users["staff"]).get(reverse("work:plan_list"))
    assert "My plans" in staff_page.content.decode()
    assert "Waiting for my approval" not in staff_page.content.decode()
    page = english_client(world.users["manager"]).get(reverse("work:plan_list")).content.decode()
    assert "Waiting for my approval" in page
    assert reverse("work:plan_edit", args=[plan.pk]) in page


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "approved"])
def test_plan_editor_query_count_is_constant(world: World, status: str) -> None:
    make = staff_plan if status == "draft" else approved_plan
    viewer = english_client(world.users["staff" if status == "draft" else "manager"])
    one = make(world, items=1)
    three = make(world, items=3, month=FIRST_OF_MONTH.replace(year=FIRST_OF_MONTH.year + 1))
    assert three.items.count() == 3
    queries_one = count_queries(viewer, reverse("work:plan_edit", args=[one.pk]))
    queries_three = count_queries(viewer, reverse("work:plan_edit", args=[three.pk]))
    assert queries_one == queries_three > 0


@pytest.mark.django_db
def test_create_my_plan_and_refuse_a_second_one(world: World) -> None:
    client = english_client(world.users["staff"])
    page = client.get(reverse("work:plan_create")).content.decode()
    assert "myself (Nguyễn Văn An)" in page and "the unit" not in page
    data = {"month": FIRST_OF_MONTH.isoformat(), "whose": "own"}
    response = client.post(reverse("work:plan_create"), data)
    plan = WorkPlan.objects.get()
    assert response["Location"] == reverse("work:plan_edit", args=[plan.pk])
    again = client.post(reverse("work:plan_create"), data).content.decode()
    assert "There is already a plan for" in again
    assert WorkPlan.objects.count() == 1


@pytest.mark.django_db
def test_a_leader_creates_the_unit_plan(world: World) -> None:
    client = english_client(world.users["manager"])
    data = {"month": FIRST_OF_MONTH.isoformat(), "whose": str(world.division.pk)}
    assert client.post(reverse("work:plan_create"), data).status_code == 302
    assert WorkPlan.objects.get().person is None


@pytest.mark.django_db
def test_htmx_add_returns_the_editor_body_and_keeps_input_on_error(world: World) -> None:
    plan = staff_plan(world, items=0)
    client = english_client(world.users["staff"])
    url = reverse("work:plan_item_add", args=[plan.pk])
    bad = client.post(
        url, {"title": "Báo cáo sơ kết", "quantity": "2", "due_date": "31/31/2026"}, **HTMX
    )
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "<html" not in body and 'id="plan-body"' in body
    assert 'value="Báo cáo sơ kết"' in body and "Enter a valid date." in body
    assert PlanItem.objects.count() == 0
    good = client.post(url, {"title": "Báo cáo sơ kết", "quantity": "1.5", "due_date": DUE}, **HTMX)
    assert "<html" not in good.content.decode()
    assert "Báo cáo sơ kết" in good.content.decode()
    item = PlanItem.objects.get()
    assert (str(item.quantity), item.owner) == ("1.50", world.people["staff"])


@pytest.mark.django_db
def test_a_plain_post_adds_and_redirects(world: World) -> None:
    plan = staff_plan(world, items=0)
    client = english_client(world.users["staff"])
    response = client.post(
        reverse("work:plan_item_add", args=[plan.pk]),
        {"title": "Báo cáo", "quantity": "1", "due_date": DUE},
    )
    assert response["Location"] == reverse("work:plan_edit", args=[plan.pk])
    error = client.post(
        reverse("work:plan_item_add", args=[plan.pk]), {"title": "", "quantity": "1"}
    )
    assert "<html" in error.content.decode() and "This field is required." in error.content.decode()


@pytest.mark.django_db
def test_submit_approve_and_the_buttons_each_one_sees(world: World) -> None:
    plan = staff_plan(world)
    staff = english_client(world.users["staff"])
    manager = english_client(world.users["manager"])
    edit = reverse("work:plan_edit", args=[plan.pk])
    assert 'data-testid="plan-submit"' in staff.get(edit).content.decode()
    assert 'data-testid="plan-submit"' not in manager.get(edit).content.decode()
    staff.post(reverse("work:plan_submit", args=[plan.pk]))
    again = staff.post(reverse("work:plan_submit", args=[plan.pk]), follow=True)
    assert "This plan has already been submitted." in again.content.decode()
    assert 'data-testid="plan-approve"' not in staff.get(edit).content.decode()
    assert 'data-testid="plan-approve"' in manager.get(edit).content.decode()
    done = manager.post(reverse("work:plan_approve", args=[plan.pk]), follow=True)
    assert "its items are now tasks" in done.content.decode()
    assert Task.objects.filter(source=Task.Source.PLAN).count() == 1


@pytest.mark.django_db
def test_return_needs_a_reason_and_shows_it(world: World) -> None:
    plan = submitted_plan(world)
    manager = english_client(world.users["manager"])
    url = reverse("work:plan_return", args=[plan.pk])
    assert (
        "Say why the plan is returned."
        in manager.post(url, {"reason": ""}, follow=True).content.decode()
    )
    manager.post(url, {"reason": "Bổ sung báo cáo quý"})
    page = english_client(world.users["staff"]).get(reverse("work:plan_edit", args=[plan.pk]))
    assert "Returned for correction: Bổ sung báo cáo quý" in page.content.decode()


@pytest.mark.django_db
def test_htmx_removal_after_approval_cancels_and_shows_the_change(world: World) -> None:
    plan = approved_plan(world, items=2)
    item = first_item(plan)
    manager = english_client(world.users["manager"])
    url = reverse("work:plan_item_remove", args=[item.pk])
    missing = manager.post(url, {"reason": ""}, **HTMX).content.decode()
    assert "Say why the item is removed." in missing and "<html" not in missing
    body = manager.post(url, {"reason": "Không còn cần thiết"}, **HTMX).content.decode()
    assert "<html" not in body
    assert "Item removed after approval" in body and "Không còn cần thiết" in body
    assert 'data-testid="plan-gone"' in body
    assert Task.objects.get(pk=item.task_id).status == Task.Status.CANCELLED
    # The owner still sees the removed item in the plan's history.
    staff_page = english_client(world.users["staff"]).get(reverse("work:plan_edit", args=[plan.pk]))
    assert "Không còn cần thiết" in staff_page.content.decode()


@pytest.mark.django_db
def test_the_editor_offers_the_products_of_the_month_with_their_coefficients(
    world: World,
) -> None:
    plan = staff_plan(world, items=1)
    page = english_client(world.users["staff"]).get(reverse("work:plan_edit", args=[plan.pk]))
    assert "VB-PLAN – Văn bản tham mưu (×1.50)" in page.content.decode()
    assert 'data-testid="plan-total"' in page.content.decode()
