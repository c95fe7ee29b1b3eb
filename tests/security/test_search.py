"""SQL metacharacters in every search box (people, tasks, registers, and any page that reads
`q`) return a normal page on SQLite and PostgreSQL: no error, no match for everything, and a
name that really contains a quote or a percent sign is found."""

from typing import Any

import pytest
from django.urls import reverse

from danhgia.organisations.models import Person
from danhgia.organisations.services import fill_person_derived
from tests.conftest import World
from tests.matrix import PERSONAS
from tests.test_permission_matrix import ROWS

# The matrix's rows are fixed months: build them at tests.matrix.MATRIX_NOW.
pytestmark = pytest.mark.usefixtures("matrix_clock")

METACHARACTERS = [
    "' OR '1'='1",
    "'; DROP TABLE organisations_person; --",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "%' --",
    "1) UNION SELECT username, password FROM accounts_user --",
    "\x00",
    "Nguyễn%_\\'\"",
]
SEARCH_PAGES = [
    pytest.param(row, persona, id=row.name)
    for row in ROWS
    if row.method == "get"
    for persona in [next((p for p in PERSONAS if row.statuses()[p] == 200), None)]
    if persona is not None
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "persona"), SEARCH_PAGES)
def test_metacharacters_in_q_return_normally(
    row: Any, persona: str, world: World, login: Any
) -> None:
    client = login(None if persona == "anonymous" else world.users[persona])
    url = reverse(row.name, args=row.args(world))
    for text in METACHARACTERS:
        response = client.get(url, {**row.data, "q": text})
        assert response.status_code in {200, 400}, (url, repr(text), response.status_code)
    assert Person.objects.filter(full_name="Nguyễn Văn An").exists()  # nothing was dropped


@pytest.mark.django_db
@pytest.mark.parametrize("text", METACHARACTERS[:4])
def test_people_search_matches_nobody_with_injection(world: World, login: Any, text: str) -> None:
    client = login(world.users["hr"])
    response = client.get(reverse("organisations:person_list"), {"q": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn Văn An" not in page and "Lê Thị Bình" not in page


@pytest.mark.django_db
def test_a_name_with_quote_and_percent_is_found(world: World, login: Any) -> None:
    person = world.people["staff"]
    person.full_name = "Nguyễn O'Brien 100%"
    fill_person_derived(person)
    person.save()
    client = login(world.users["hr"])
    for text in ("O'Brien", "100%", "o'brien 100%"):
        response = client.get(reverse("organisations:person_list"), {"q": text})
        assert response.status_code == 200
        assert "O&#x27;Brien 100%" in response.content.decode(), text
