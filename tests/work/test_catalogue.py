"""The product catalogue: versions by effective date, coefficients kept, guards, pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from danhgia.work.models import ProductType, Task
from danhgia.work.queries import product_types_valid_on
from danhgia.work.services import WorkError
from danhgia.work.services.catalogue import create_product_type, revise_product_type
from danhgia.work.services.tasks import assign_task
from tests.conftest import World
from tests.factories import JobPositionFactory
from tests.work.test_plan_helpers import actions, audit, count_queries, english_client, product

JAN = datetime.date(2024, 1, 1)
JUL = datetime.date(2024, 7, 1)

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.django_db
def test_adding_a_product_is_logged(world: World) -> None:
    made = product(world, code=" VB ", coefficient="1.25")
    assert (made.code, made.coefficient, made.valid_from, made.valid_to) == (
        "VB",
        Decimal("1.25"),
        JAN,
        None,
    )
    assert actions(made) == ["product_type.created"]
    assert audit(made)[0].data["coefficient"] == "1.25"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("coefficient", "message"),
    [
        ("0", "greater than zero"),
        ("-1", "greater than zero"),
        ("1.255", "at most two decimal places"),
        ("10000", "at most 9999.99"),
    ],
)
def test_a_coefficient_must_be_positive_with_two_decimals(
    world: World, coefficient: str, message: str
) -> None:
    with pytest.raises(WorkError, match=message):
        product(world, coefficient=coefficient)
    assert ProductType.objects.count() == 0


@pytest.mark.django_db
def test_a_code_is_added_once_per_catalogue(world: World) -> None:
    product(world, code="VB")
    with pytest.raises(WorkError, match="already in this catalogue; revise it"):
        product(world, code="VB")
    product(world, code="VB", unit=world.dept_other)  # another unit's catalogue
    assert ProductType.objects.filter(code="VB").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["staff", "manager", "head_other", "supervisor"])
def test_only_hr_and_heads_of_the_scope_edit_a_catalogue(world: World, persona: str) -> None:
    with pytest.raises(WorkError, match="You cannot change the product catalogue"):
        create_product_type(
            unit=world.dept,
            code="VB",
            name="Văn bản",
            unit_of_measure="văn bản",
            coefficient=Decimal(1),
            valid_from=JAN,
            by=world.users[persona],
        )
    made = product(world)
    with pytest.raises(WorkError, match="You cannot change the product catalogue"):
        revise_product_type(made, by=world.users[persona], valid_from=JUL, coefficient=Decimal(2))


@pytest.mark.django_db
def test_the_head_keeps_the_catalogue_of_the_department(world: World) -> None:
    made = create_product_type(
        unit=world.division,
        code="VB",
        name="Văn bản",
        unit_of_measure="văn bản",
        coefficient=Decimal(1),
        valid_from=JAN,
        by=world.users["head"],
    )
    assert made.unit == world.division


@pytest.mark.django_db
def test_a_revision_ends_the_version_the_day_before_and_starts_the_next(world: World) -> None:
    first = product(world, coefficient="1.5")
    second = revise_product_type(
        first, by=world.users["hr"], valid_from=JUL, coefficient=Decimal("2"), name="Tờ trình"
    )
    first.refresh_from_db()
    assert (first.valid_to, first.coefficient, first.name) == (
        datetime.date(2024, 6, 30),
        Decimal("1.5"),
        "Văn bản tham mưu",
    )
    assert (second.code, second.valid_from, second.valid_to, second.coefficient, second.name) == (
        "VB",
        JUL,
        None,
        Decimal("2"),
        "Tờ trình",
    )
    entry = audit(second)[0]
    assert entry.action == "product_type.revised"
    assert (entry.data["before"]["coefficient"], entry.data["after"]["coefficient"]) == (
        "1.50",
        "2",
    )


@pytest.mark.django_db
def test_valid_on_returns_the_version_of_the_day(world: World) -> None:
    first = product(world, coefficient="1.5")
    second = revise_product_type(
        first, by=world.users["hr"], valid_from=JUL, coefficient=Decimal(2)
    )
    june, july = datetime.date(2024, 6, 30), JUL
    assert list(product_types_valid_on(world.division, june)) == [first]
    assert list(product_types_valid_on(world.division, july)) == [second]
    assert list(product_types_valid_on(world.division, datetime.date(2023, 12, 31))) == []
    assert list(product_types_valid_on(world.division_other, july)) == []


@pytest.mark.django_db
def test_valid_on_filters_by_job_position_and_keeps_generic_products(world: World) -> None:
    clerk, teacher = JobPositionFactory(code="VT"), JobPositionFactory(code="GV")
    generic = product(world, code="CHUNG")
    for_clerks = product(world, code="VT-1", job_position=clerk)
    product(world, code="GV-1", job_position=teacher)
    found = product_types_valid_on(world.division, JUL, clerk).order_by("code")
    assert list(found) == [generic, for_clerks]


@pytest.mark.django_db
def test_a_task_assigned_before_the_revision_keeps_its_coefficient(world: World) -> None:
    first = product(world, coefficient="1.5")
    task = assign_task(
        title="Tham mưu văn bản",
        unit=world.division,
        owner=world.people["staff"],
        by=world.users["manager"],
        source=Task.Source.ASSIGNMENT,
        start_date=datetime.date(2024, 6, 1),
        due_date=datetime.date(2024, 6, 20),
        product_type=first,
        quantity=Decimal(2),
    )
    revise_product_type(first, by=world.users["hr"], valid_from=JUL, coefficient=Decimal(3))
    task.refresh_from_db()
    assert (task.coefficient, task.converted_quantity, task.product_type) == (
        Decimal("1.5"),
        Decimal("3"),
        first,
    )


@pytest.mark.django_db
def test_revision_guards(world: World) -> None:
    first = product(world)
    with pytest.raises(WorkError, match="must start after 01/01/2024"):
        revise_product_type(first, by=world.users["hr"], valid_from=JAN, coefficient=Decimal(2))
    with pytest.raises(WorkError, match="Nothing changed"):
        revise_product_type(
            first, by=world.users["hr"], valid_from=JUL, coefficient=Decimal("1.50")
        )
    revise_product_type(first, by=world.users["hr"], valid_from=JUL, coefficient=Decimal(2))
    with pytest.raises(WorkError, match="Only the latest version"):
        revise_product_type(
            first, by=world.users["hr"], valid_from=datetime.date(2025, 1, 1), name="Khác"
        )
    assert ProductType.objects.count() == 2


# Pages


@pytest.mark.django_db
def test_the_list_groups_by_job_position_and_hides_earlier_versions(world: World) -> None:
    clerk = JobPositionFactory(code="VT", name="Văn thư")
    product(world, code="CHUNG", name="Báo cáo chung")
    old = product(world, code="VT-1", name="Sổ công văn", job_position=clerk)
    revise_product_type(
        old, by=world.users["hr"], valid_from=datetime.date(2025, 1, 1), coefficient=Decimal(2)
    )
    client = english_client(world.users["staff"])
    page = client.get(reverse("work:catalogue")).content.decode()
    assert page.index("Any job position") < page.index("Báo cáo chung") < page.index("Văn thư")
    assert page.count("Sổ công văn") == 1
    assert "Revise" not in page  # staff read only
    history = client.get(reverse("work:catalogue"), {"history": "1"}).content.decode()
    assert history.count("Sổ công văn") == 2
    assert "earlier version" in history


@pytest.mark.django_db
def test_catalogue_query_count_is_constant(world: World) -> None:
    client = english_client(world.users["hr"])
    url = reverse("work:catalogue")
    product(world, code="A")
    one = count_queries(client, url)
    product(world, code="B", job_position=JobPositionFactory(code="B"))
    product(world, code="C", unit=world.dept_other)
    assert count_queries(client, url) == one > 0


@pytest.mark.django_db
def test_the_create_form_keeps_input_and_explains_errors(world: World) -> None:
    client = english_client(world.users["hr"])
    data = {
        "unit": world.dept.pk,
        "code": "BC-01",
        "name": "Báo cáo chuyên đề",
        "unit_of_measure": "báo cáo",
        "coefficient": "0",
        "valid_from": "01/07/2024",
    }
    response = client.post(reverse("work:product_create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The conversion coefficient must be greater than zero." in page
    assert 'value="Báo cáo chuyên đề"' in page and 'value="2024-07-01"' in page
    assert ProductType.objects.count() == 0
    response = client.post(reverse("work:product_create"), {**data, "coefficient": "2,5"})
    assert response.status_code == 302
    made = ProductType.objects.get()
    assert (made.coefficient, made.valid_from) == (Decimal("2.5"), JUL)


@pytest.mark.django_db
def test_the_revise_page_starts_a_version(world: World) -> None:
    made = product(world)
    client = english_client(world.users["head"])
    url = reverse("work:product_revise", args=[made.pk])
    page = client.get(url).content.decode()
    assert 'value="1.5"' in page and "Versions" in page
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        url,
        {
            "name": made.name,
            "unit_of_measure": "văn bản",
            "coefficient": "1.75",
            "valid_from": tomorrow.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    latest = ProductType.objects.latest("valid_from")
    assert (latest.coefficient, latest.valid_from) == (Decimal("1.75"), tomorrow)
