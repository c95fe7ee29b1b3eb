"""The import pages: who may use them, the upload form, the downloadable templates."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.organisations.imports.columns import PEOPLE_COLUMNS, UNIT_COLUMNS
from danhgia.organisations.models import ImportBatch
from tests.organisations.test_import_helpers import (
    PEOPLE_HEADER,
    person_row,
    sheet_rows,
    upload,
    uploaded,
    xlsx,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _urls(batch_pk: int) -> list[str]:
    return [
        reverse("organisations:import_start"),
        reverse("organisations:import_template", args=["people"]),
        reverse("organisations:import_preview", args=[batch_pk]),
        reverse("organisations:export_data", args=["units"]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("hr", [200, 200, 200, 200]),
        ("admin", [200, 200, 404, 200]),  # an importer, but the batch is the HR officer's
        ("staff", [403, 403, 404, 403]),
        ("head", [403, 403, 404, 403]),
        ("supervisor", [403, 403, 404, 403]),
    ],
)
def test_permission_matrix(world, login, persona, expected):
    batch = uploaded(login(world.users["hr"]), xlsx([PEOPLE_HEADER, person_row()]))
    client = login(world.users[persona])
    assert [client.get(url).status_code for url in _urls(batch.pk)] == expected
    if expected[0] == 403:
        assert client.post(_urls(batch.pk)[0]).status_code == 403
        assert client.post(_urls(batch.pk)[2]).status_code == 404


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_log_in(client, world):
    for url in _urls(1):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.django_db
def test_another_importer_gets_404_for_my_batch(world, login):
    batch = uploaded(login(world.users["hr"]), xlsx([PEOPLE_HEADER, person_row()]))
    client = login(world.users["admin"])
    url = reverse("organisations:import_preview", args=[batch.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED


@pytest.mark.django_db
def test_the_form_keeps_the_chosen_kind_on_error(world, login):
    response = upload(login(world.users["hr"]), b"old", "don-vi.xls", kind="units")
    assert response.status_code == 200
    assert '<input type="radio" name="kind" value="units" required id="id_kind_0" checked>' in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_uploaded_file_is_stored_under_a_random_name(world, login, tmp_path):
    batch = uploaded(login(world.users["hr"]), xlsx([PEOPLE_HEADER, person_row()]), "ds.xlsx")
    assert batch.original_name == "ds.xlsx" and batch.uploaded_by == world.users["hr"]
    assert batch.file.name.startswith("imports/") and batch.file.name.endswith(".xlsx")
    assert "ds" not in batch.file.name.rsplit("/", 1)[1]
    assert (tmp_path / batch.file.name).is_file()


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "columns"), [("people", PEOPLE_COLUMNS), ("units", UNIT_COLUMNS)])
def test_template_has_header_example_and_help_sheet(world, login, kind, columns):
    client = login(world.users["hr"])
    response = client.get(reverse("organisations:import_template", args=[kind]))
    assert response.status_code == 200
    stem = "nhan-su" if kind == "people" else "don-vi"
    assert response["Content-Disposition"] == f'attachment; filename="mau-nhap-{stem}.xlsx"'
    data = b"".join(response.streaming_content)
    rows = sheet_rows(data)
    assert rows[0] == tuple(column.header for column in columns)
    assert len(rows) == 2
    help_rows = sheet_rows(data, sheet=1)
    assert help_rows[0][0] == "Hướng dẫn"
    described = [row[0] for row in help_rows if row[0] in {c.header for c in columns}]
    assert described == [column.header for column in columns]


@pytest.mark.django_db
def test_template_example_imports_cleanly(world, login):
    client = login(world.users["hr"])
    response = client.get(reverse("organisations:import_template", args=["units"]))
    batch = uploaded(client, b"".join(response.streaming_content), "mau.xlsx", "units")
    # A new unit under the officer's own scope, never an update of an existing one.
    assert (batch.status, batch.errors, batch.created_count, batch.updated_count) == (
        "previewed",
        [],
        1,
        0,
    )


@pytest.mark.django_db
def test_unknown_kind_is_404(world, login):
    client = login(world.users["hr"])
    assert client.get(reverse("organisations:import_template", args=["roles"])).status_code == 404
    assert client.get(reverse("organisations:export_data", args=["roles"])).status_code == 404


@pytest.mark.django_db
def test_start_page_query_count_does_not_grow_with_uploads(world, login):
    client = login(world.users["hr"])
    query_counts = []
    for total in (1, 3):
        while ImportBatch.objects.count() < total:
            uploaded(client, xlsx([PEOPLE_HEADER, person_row()]))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("organisations:import_start"))
        assert response.content.decode().count("nhan-su.xlsx") == total
        query_counts.append(len(queries))
    assert query_counts[0] == query_counts[1]


@pytest.mark.django_db
def test_import_page_offers_only_units_and_people(world, login) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    client = login(world.users["hr"])
    response = client.get(reverse("organisations:import_start"))
    assert [value for value, _label in response.context["form"].fields["kind"].choices] == [
        "units",
        "people",
    ]
    assert (
        client.get(reverse("organisations:import_template", args=["products"])).status_code == 404
    )


@pytest.mark.django_db
def test_preview_lists_each_problem_with_its_row_and_column(world, login):
    client = login(world.users["hr"])
    batch = uploaded(client, xlsx([PEOPLE_HEADER, person_row(unit="KHONG-CO")]))
    page = client.get(reverse("organisations:import_preview", args=[batch.pk])).content.decode()
    assert 'data-testid="import-errors"' in page
    assert "<td>2</td>" in page
    assert batch.errors[0]["message"] in page
