"""Every upload path refuses, quickly and by content, a zip bomb, an archive with too many
entries, an archive that lies about its sizes, a program, random bytes and a web page renamed
.xlsx, with a message saying what the file is and what is accepted; nothing is stored.

The paths: task progress and task completion (evidence), appeal files, the units and people
import, the product catalogue import."""

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from danhgia.core import clock
from danhgia.evaluations.models import Appeal, AppealFile
from danhgia.organisations.models import ImportBatch
from danhgia.work.models import EvidenceFile, Task, TaskUpdate
from tests.conftest import World
from tests.matrix.appeals import decided_sheet
from tests.matrix.work_tasks import _task
from tests.security.archives import (
    HTML,
    PROGRAM,
    bomb_xlsx,
    crowded_xlsx,
    lying_xlsx,
    random_bytes,
)

# The matrix's rows are fixed months: build them at tests.matrix.MATRIX_NOW.
pytestmark = pytest.mark.usefixtures("matrix_clock")

Post = Callable[[World, Any, SimpleUploadedFile], HttpResponse]


def _progress(world: World, login: Any, upload: SimpleUploadedFile) -> HttpResponse:
    client: Client = login(world.users["staff"])
    url = reverse("work:task_progress", args=[_task(world).pk])
    return client.post(
        url, {"kind": "progress", "progress": "30", "text": "Tiến độ", "evidence": upload}
    )


def _complete(world: World, login: Any, upload: SimpleUploadedFile) -> HttpResponse:
    client: Client = login(world.users["staff"])
    url = reverse("work:task_complete", args=[_task(world).pk])
    on = clock.today().strftime("%d/%m/%Y")
    return client.post(url, {"on": on, "text": "Xong", "evidence": upload})


def _appeal(world: World, login: Any, upload: SimpleUploadedFile) -> HttpResponse:
    client: Client = login(world.users["staff"])
    url = reverse("evaluations:appeal_create", args=[decided_sheet(world).pk])
    return client.post(url, {"text": "Đề nghị xem lại", "attachments": [upload]})


def _import(kind: str) -> Post:
    def post(world: World, login: Any, upload: SimpleUploadedFile) -> HttpResponse:
        client: Client = login(world.users["hr"])
        return client.post(reverse("organisations:import_start"), {"kind": kind, "file": upload})

    return post


def _products(world: World, login: Any, upload: SimpleUploadedFile) -> HttpResponse:
    client: Client = login(world.users["hr"])
    return client.post(reverse("work:product_import"), {"file": upload})


PATHS: dict[str, Post] = {
    "task progress": _progress,
    "task completion": _complete,
    "appeal": _appeal,
    "people import": _import("people"),
    "units import": _import("units"),
    "product import": _products,
}

HOSTILE: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "zip bomb": (
        "bang-tinh.xlsx",
        bomb_xlsx,
        "bang-tinh.xlsx is compressed more than 100 times; such a file is damaged or built to "
        "overload the server, and is not accepted.",
    ),
    "too many entries": (
        "bang-tinh.xlsx",
        crowded_xlsx,
        "bang-tinh.xlsx holds 2009 files inside; at most 1000 are accepted.",
    ),
    "lying header": (
        "bang-tinh.xlsx",
        lying_xlsx,
        "bang-tinh.xlsx is damaged: its contents do not match its own table of contents.",
    ),
    "program": ("setup.exe", lambda: PROGRAM, "setup.exe is not a file we accept: it is a program"),
    "random bytes": (
        "bang-tinh.xlsx",
        random_bytes,
        "bang-tinh.xlsx is not an Excel workbook (.xlsx): it is binary data of an unknown kind.",
    ),
    "web page renamed .xlsx": (
        "bang-tinh.xlsx",
        lambda: HTML,
        "bang-tinh.xlsx is not an Excel workbook (.xlsx): it is a web page or XML file.",
    ),
}


def _nothing_stored() -> bool:
    return not (
        EvidenceFile.objects.exists()
        or TaskUpdate.objects.filter(kind=TaskUpdate.Kind.PROGRESS).exists()
        or Task.objects.exclude(status=Task.Status.NOT_STARTED).exists()
        or Appeal.objects.exists()
        or AppealFile.objects.exists()
        or ImportBatch.objects.exists()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("hostile", HOSTILE)
def test_every_upload_path_refuses_hostile_files_quickly(
    world: World, login: Any, english_pages: None, path: str, hostile: str
) -> None:
    name, build, message = HOSTILE[hostile]
    upload = SimpleUploadedFile(name, build(), content_type="application/octet-stream")
    started = time.monotonic()
    response = PATHS[path](world, login, upload)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _nothing_stored()
    assert elapsed < 5, f"{path} took {elapsed:.1f} s to refuse a {hostile}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["people import", "units import", "product import"])
def test_imports_refuse_a_program_or_random_bytes_named_csv(
    world: World, login: Any, english_pages: None, path: str
) -> None:
    for data, actual in ((PROGRAM, "a program (executable)"), (random_bytes(), "binary data")):
        upload = SimpleUploadedFile("nhan-su.csv", data, content_type="text/csv")
        response = PATHS[path](world, login, upload)
        assert f"nhan-su.csv is not a CSV file: it is {actual}" in response.content.decode()
        assert _nothing_stored()
