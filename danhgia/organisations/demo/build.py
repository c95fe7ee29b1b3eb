"""Write the demo province of `province.py` to the database, through the services.

Everything is created by the system (`by=None`) so the audit log records it like any other
change. The caller wraps `build_province()` in one transaction.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from danhgia.accounts.models import User
from danhgia.core.audit import log_action
from danhgia.organisations import services
from danhgia.organisations.demo.province import (
    JOB_POSITIONS,
    PASSWORD,
    PROVINCE_CODE,
    REFORM_DAY,
    UNITS,
    PersonPlan,
    plan_people,
)
from danhgia.organisations.models import JobPosition, Person, Unit


@dataclass(frozen=True)
class BuildResult:
    units: int
    job_positions: int
    people: int
    logins: int
    roles: int


def demo_exists() -> bool:
    return Unit.objects.filter(code=PROVINCE_CODE).exists()


def obstacles() -> list[str]:
    """Why the demo cannot be built here (other data is present); empty when it can."""
    problems = []
    if Unit.objects.exists() or Person.objects.exists():
        problems.append("cơ sở dữ liệu đã có đơn vị hoặc nhân sự khác")
    usernames = sorted({person.username for person in plan_people() if person.username})
    taken = list(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    if taken:
        problems.append("tên đăng nhập đã có người dùng: " + ", ".join(taken))
    return problems


def _create_units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for spec in UNITS:
        unit = Unit(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            parent=units[spec.parent] if spec.parent else None,
            valid_from=spec.valid_from,
        )
        units[spec.code] = services.save_unit(unit, by=None)
    for spec in UNITS:
        if spec.merged_into:
            units[spec.code] = services.merge_unit(
                units[spec.code], into=units[spec.merged_into], on=REFORM_DAY, by=None
            )
    return units


def _create_job_positions() -> dict[str, JobPosition]:
    # No service exists for the job-position catalogue yet: create and log the same way.
    positions = {}
    for code, name in JOB_POSITIONS:
        position = JobPosition.objects.create(code=code, name=name)
        log_action(position, "job_position.created", by=None, data={"code": code, "name": name})
        positions[code] = position
    return positions


def _create_person(plan: PersonPlan, unit: Unit, position: JobPosition) -> Person:
    person = Person(
        full_name=plan.full_name,
        employee_code=plan.employee_code,
        staff_category=plan.staff_category,
        title=plan.title,
        is_leader=plan.is_leader,
        job_position=position,
        unit=unit,
        email=plan.email,
        phone=plan.phone,
        active_from=plan.active_from,
        active_to=plan.active_to,
    )
    return services.save_person(person, by=None)


def build_province() -> BuildResult:
    """Create the units, job positions, people, logins and roles of the demo province.

    Every login gets the shared demo password. It is hashed once and the hash reused: hashing
    it for each of ~75 logins would take most of a minute with the default PBKDF2 work factor.
    """
    units = _create_units()
    positions = _create_job_positions()
    password_hash = make_password(PASSWORD)
    people = plan_people()
    logins = roles = 0
    for plan in people:
        person = _create_person(plan, units[plan.unit], positions[plan.job_position])
        if not plan.username:
            continue
        user = services.create_login(person, by=None, username=plan.username)
        user.password = password_hash
        user.save(update_fields=["password"])
        logins += 1
        for role in plan.roles:
            services.assign_role(
                user,
                units[role.unit],
                role.role,
                by=None,
                valid_from=role.valid_from,
                valid_to=role.valid_to,
                acting=role.acting,
            )
            roles += 1
    result = BuildResult(len(units), len(positions), len(people), logins, roles)
    log_action(
        None,
        "demo.seeded",
        data={**result.__dict__, "password": "shared demo password set on every login"},
        object_type="demo",
    )
    return result
