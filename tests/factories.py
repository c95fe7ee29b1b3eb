import datetime

import factory

from danhgia.accounts.models import User
from danhgia.core.text import collation_key, fold, name_sort_key
from danhgia.organisations.models import JobPosition, Person, StaffCategory, Unit, UnitKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("mat-khau-thu-nghiem-1")


class UnitFactory(factory.django.DjangoModelFactory):
    """Units with a correct `path`; pass `parent=` to nest."""

    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"DV{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = UnitKind.DEPARTMENT
    parent = None
    valid_from = datetime.date(2020, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        unit = super()._create(model_class, *args, **kwargs)
        unit.search_text = fold(f"{unit.name} {unit.code}")
        unit.sort_key = collation_key(unit.name)
        parent_path = unit.parent.path if unit.parent_id else "/"
        unit.path = f"{parent_path}{unit.pk}/"
        unit.depth = unit.parent.depth + 1 if unit.parent_id else 0
        unit.save(update_fields=["path", "depth", "search_text", "sort_key"])
        return unit


class JobPositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobPosition
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"VTVL{n:03d}")
    name = factory.Sequence(lambda n: f"Chuyên viên {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    employee_code = factory.Sequence(lambda n: f"NV{n:05d}")
    staff_category = StaffCategory.CIVIL_SERVANT
    title = "Chuyên viên"
    unit = factory.SubFactory(UnitFactory)
    active_from = datetime.date(2020, 1, 1)
    search_text = factory.LazyAttribute(lambda p: fold(f"{p.full_name} {p.employee_code}"))
    sort_key = factory.LazyAttribute(lambda p: name_sort_key(p.full_name))
