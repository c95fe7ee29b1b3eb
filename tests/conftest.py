"""Named personas in a small province, shared by every test.

Tỉnh Thử nghiệm (province)          hr, supervisor, admin
├── Sở Nội vụ (department)          head (Trần Thị Hạnh)
│   └── Phòng Công chức (division)  manager; staff (Nguyễn Văn An)
└── Sở Tài chính (department)       head_other
    └── Phòng Ngân sách (division)  staff_other
"""

import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from danhgia.accounts.models import User
from danhgia.organisations.models import Person, Role, Unit, UnitKind, UnitRole
from tests.factories import PersonFactory, UnitFactory, UserFactory
from tests.shipped_rows import commits_for_real, keep_shipped_rows, restore_shipped_rows

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# A dated run: `DANHGIA_TEST_NOW=2027-01-01T00:30+07:00 pytest -m dated` runs the suite as if
# it were that instant (the clock ticks on from it). .ci/run uses it for the browser tests; the
# tests without a browser or subprocess run under libfaketime instead (the real clock faked).
TEST_NOW = os.environ.get("DANHGIA_TEST_NOW", "")

# The parts of the suite whose results depend on the date: .ci/run runs them again at the dates
# that break date code (see danhgia/core/clock.py). Marked `dated` at collection.
DATE_SENSITIVE = (
    "tests/annual/",
    "tests/demo/",
    "tests/e2e/",
    "tests/evaluations/",
    "tests/reminders/",
    "tests/reports/dashboards/",
    "tests/reports/publication/",
    "tests/reports/recognition/",
    "tests/work/",
)

SINCE = datetime.date(2020, 1, 1)
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")  # for instants of a pinned clock


@dataclass
class World:
    province: Unit
    dept: Unit
    division: Unit
    dept_other: Unit
    division_other: Unit
    users: dict[str, User]
    people: dict[str, Person]


def _person_with_login(key: str, name: str, unit: Unit, title: str = "Chuyên viên") -> Person:
    user = UserFactory(username=key)
    return PersonFactory(
        full_name=name, employee_code=f"E-{key}", unit=unit, user=user, title=title
    )


def _role(user: User, unit: Unit, role: str, **extra: object) -> UnitRole:
    return UnitRole.objects.create(user=user, unit=unit, role=role, valid_from=SINCE, **extra)


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Mark the date-sensitive tests `dated` and every test of tests/e2e/ `browser`; a test
    that commits for real keeps the migrations' rows (tests/shipped_rows.py)."""
    root = config.rootpath
    for item in items:
        if commits_for_real(item):
            keep_shipped_rows(item)
        path = item.path.relative_to(root).as_posix()
        if path.startswith(DATE_SENSITIVE) and item.get_closest_marker("undated") is None:
            item.add_marker(pytest.mark.dated)
        if path.startswith("tests/e2e/"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):  # type: ignore[no-untyped-def]
    """After a test that commits for real has emptied the tables, put the migrations' rows
    back before a test that does not commit (a committing test restores them itself)."""
    result = yield
    if nextitem is not None and commits_for_real(item) and not commits_for_real(nextitem):
        restore_shipped_rows(item.config)
    return result


@pytest.fixture(scope="session", autouse=True)
def _dated_run() -> Iterator[None]:
    """Travel to DANHGIA_TEST_NOW for the whole session when it is set (see TEST_NOW)."""
    if not TEST_NOW:
        yield
        return
    with time_machine.travel(datetime.datetime.fromisoformat(TEST_NOW), tick=True):
        yield


@pytest.fixture
def matrix_clock(time_machine):  # type: ignore[no-untyped-def]
    """The clock at tests.matrix.MATRIX_NOW, for tests that build the permission matrix's rows."""
    from tests.matrix import MATRIX_NOW

    time_machine.move_to(MATRIX_NOW, tick=True)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts with no language activated (the site's default, Vietnamese), whatever
    an earlier test or request in the same worker left active."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_tests(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Axes off (tests log in many times; its own test turns it on), a fast hasher, and
    static files by plain name: a manifest left in var/ by `make demo` must not be used."""
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads (imports, evidence) never land in var/
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"  # nor audit anchors (var/anchors/)


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return build_world()


def build_world() -> World:
    """The personas' province (the `world` fixture); a test that empties the tables midway
    (tests/e2e/test_accessibility.py) builds it again."""
    province = UnitFactory(code="TINH", name="Tỉnh Thử nghiệm", kind=UnitKind.PROVINCE)
    dept = UnitFactory(code="SNV", name="Sở Nội vụ", parent=province)
    division = UnitFactory(
        code="SNV-CC", name="Phòng Công chức", parent=dept, kind=UnitKind.DIVISION
    )
    dept_other = UnitFactory(code="STC", name="Sở Tài chính", parent=province)
    division_other = UnitFactory(
        code="STC-NS", name="Phòng Ngân sách", parent=dept_other, kind=UnitKind.DIVISION
    )
    people = {
        "staff": _person_with_login("staff", "Nguyễn Văn An", division),
        "staff_other": _person_with_login("staff_other", "Lê Thị Bình", division_other),
        "manager": _person_with_login("manager", "Phạm Minh Châu", division, "Trưởng phòng"),
        "head": _person_with_login("head", "Trần Thị Hạnh", dept, "Giám đốc Sở"),
        "head_other": _person_with_login("head_other", "Võ Văn Dũng", dept_other, "Giám đốc Sở"),
        "hr": _person_with_login("hr", "Đặng Thu Hà", dept, "Chuyên viên tổ chức"),
        "supervisor": _person_with_login("supervisor", "Hoàng Văn Giám", province, "Thanh tra"),
    }
    users = {key: person.user for key, person in people.items()}
    _role(users["manager"], division, Role.MANAGER)
    _role(users["head"], dept, Role.HEAD)
    _role(users["head_other"], dept_other, Role.HEAD)
    _role(users["hr"], province, Role.HR_OFFICER)
    _role(users["supervisor"], province, Role.SUPERVISOR)
    users["admin"] = UserFactory(username="admin")
    _role(users["admin"], province, Role.SYSTEM_ADMIN)
    return World(province, dept, division, dept_other, division_other, users, people)


@pytest.fixture
def login(client):  # type: ignore[no-untyped-def]
    """`login(user)` signs the test client in as `user` (None stays anonymous)."""

    def _login(user: User | None):  # type: ignore[no-untyped-def]
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login


@pytest.fixture
def english_pages(settings):  # type: ignore[no-untyped-def]
    """Pages served in English (the site's default language is Vietnamese, and a request
    without the language cookie gets it): for tests that read the English words of a page."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
