import datetime

from django.urls import path, register_converter

from danhgia.reports.publication.views import audit_heads, manage, public


class MonthConverter:
    """A month as `yyyy-mm` in URLs (friendlier for portals than ids), a date in views."""

    regex = "[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date(int(value[:4]), int(value[5:]), 1)  # ValueError → 404

    def to_url(self, value: datetime.date) -> str:
        return f"{value:%Y-%m}"


register_converter(MonthConverter, "yyyy_mm")

app_name = "publication"

urlpatterns = [
    # Public, without login (views/public.py)
    path("cong-khai/", public.public_index, name="public_index"),
    # Search by name without accents (before <code>: no unit is called that)
    path("cong-khai/tim-kiem/", public.public_search, name="public_search"),
    # The audit log's signed daily heads (before <code>: no unit is called that)
    path("cong-khai/nhat-ky-kiem-toan/", audit_heads.audit_heads, name="audit_heads"),
    path(
        "cong-khai/nhat-ky-kiem-toan.atom",
        audit_heads.audit_heads_atom,
        name="audit_heads_atom",
    ),
    path("cong-khai/<str:code>.atom", public.public_unit_atom, name="public_unit_atom"),
    path("cong-khai/<str:code>/", public.public_unit, name="public_unit"),
    path(
        "cong-khai/<str:code>/<yyyy_mm:month>/",
        public.public_month,
        name="public_month",
    ),
    path(
        "cong-khai/<str:code>/<yyyy_mm:month>.json",
        public.public_month_json,
        name="public_month_json",
    ),
    path(
        "cong-khai/<str:code>/<yyyy_mm:month>/nhung/",
        public.public_month_embed,
        name="public_month_embed",
    ),
    # Publishing, settings and the unit's own announcement (views/manage.py)
    path("cong-bo/", manage.manage_list, name="manage_list"),
    path("cong-bo/ky/<int:period_pk>/dang/", manage.publish, name="publish"),
    path("cong-bo/<int:pk>/go/", manage.unpublish_view, name="unpublish"),
    path("cong-bo/cai-dat/", manage.setting_list, name="setting_list"),
    path("cong-bo/cai-dat/<int:unit_pk>/", manage.setting_edit, name="setting_edit"),
    path("cong-bo/ket-qua/", manage.internal_list, name="internal_list"),
    path("cong-bo/ket-qua/<int:period_pk>/", manage.internal_page, name="internal_page"),
]
