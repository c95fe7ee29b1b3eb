from django.urls import path

from danhgia.evaluations.views import appeals as appeal_views
from danhgia.evaluations.views import (
    decisions,
    delegations,
    periods,
    records,
    rulebooks,
    sheets,
    team,
)
from danhgia.evaluations.views import reopen as reopen_views

app_name = "evaluations"

urlpatterns = [
    # Sheets (views/sheets.py)
    path("danh-gia/", sheets.my_sheets, name="my_sheets"),
    path("danh-gia/phieu/<int:pk>/", sheets.sheet_detail, name="sheet_detail"),
    path(
        "danh-gia/phieu/<int:pk>/tu-danh-gia/",
        sheets.sheet_self_evaluate,
        name="sheet_self_evaluate",
    ),
    path("danh-gia/phieu/<int:pk>/nhan-xet/", sheets.sheet_review, name="sheet_review"),
    path("danh-gia/phieu/<int:pk>/rut-lai/", sheets.sheet_withdraw, name="sheet_withdraw"),
    # The team's month for managers and heads (views/team.py)
    path("danh-gia/nhom-cua-toi/", team.team_month_view, name="team_month"),
    # The head's decision (views/decisions.py)
    path("danh-gia/quyet-dinh/", decisions.decision_list, name="decision_list"),
    path(
        "danh-gia/quyet-dinh/<int:period_pk>/<int:unit_pk>/",
        decisions.decision_page,
        name="decision_page",
    ),
    # Periods and rulebooks (views/periods.py)
    path("danh-gia/ky/", periods.period_list, name="period_list"),
    path("danh-gia/ky/<int:pk>/chuyen/", periods.period_advance, name="period_advance"),
    path("danh-gia/ky/<int:pk>/dong/", periods.period_close, name="period_close"),
    path("danh-gia/ky/<int:pk>/them-phieu/", periods.period_add_missing, name="period_add_missing"),
    path("danh-gia/bo-quy-tac/", periods.rulebook_list, name="rulebook_list"),
    path("danh-gia/bo-quy-tac/<int:pk>/", periods.rulebook_detail, name="rulebook_detail"),
    path(
        "danh-gia/bo-quy-tac/theo-loai-can-bo/",
        rulebooks.category_rulebooks,
        name="category_rulebooks",
    ),
    path("danh-gia/bo-quy-tac/<int:pk>/nhan-ban/", rulebooks.rulebook_clone, name="rulebook_clone"),
    path(
        "danh-gia/bo-quy-tac/<int:pk>/sua/<str:part>/",
        rulebooks.rulebook_edit,
        name="rulebook_edit",
    ),
    # Delegations of a head's review and decision to a deputy (views/delegations.py)
    path("danh-gia/uy-quyen/", delegations.delegation_list, name="delegation_list"),
    path(
        "danh-gia/uy-quyen/<int:pk>/thu-hoi/",
        delegations.delegation_revoke,
        name="delegation_revoke",
    ),
    # Reopening and appeals (views/reopen.py, views/appeals.py)
    path("danh-gia/phieu/<int:pk>/mo-lai/", reopen_views.sheet_reopen, name="sheet_reopen"),
    path("danh-gia/ky/<int:pk>/mo-lai/", reopen_views.period_reopen, name="period_reopen"),
    path("danh-gia/phieu/<int:pk>/khieu-nai/", appeal_views.appeal_create, name="appeal_create"),
    path("danh-gia/khieu-nai/", appeal_views.appeal_list, name="appeal_list"),
    path("danh-gia/khieu-nai/<int:pk>/tra-loi/", appeal_views.appeal_answer, name="appeal_answer"),
    path("danh-gia/khieu-nai/<int:pk>/rut/", appeal_views.appeal_withdraw, name="appeal_withdraw"),
    path("danh-gia/khieu-nai/tep/<int:pk>/", appeal_views.appeal_file, name="appeal_file"),
    # Discipline, leave and the organisation's policy for HR (views/records.py)
    path("danh-gia/ky-luat/", records.discipline_list, name="discipline_list"),
    path("danh-gia/ky-luat/them/", records.discipline_create, name="discipline_create"),
    path("danh-gia/ky-luat/<int:pk>/sua/", records.discipline_edit, name="discipline_edit"),
    path("danh-gia/ky-luat/<int:pk>/xoa/", records.discipline_delete, name="discipline_delete"),
    path("danh-gia/ket-luan/them/", records.finding_create, name="finding_create"),
    path("danh-gia/nghi/", records.leave_list, name="leave_list"),
    path("danh-gia/nghi/them/", records.leave_create, name="leave_create"),
    path("danh-gia/nghi/<int:pk>/sua/", records.leave_edit, name="leave_edit"),
    path("danh-gia/nghi/<int:pk>/xoa/", records.leave_delete, name="leave_delete"),
    path("danh-gia/chinh-sach/", records.policy_list, name="policy_list"),
    path("danh-gia/chinh-sach/<int:unit_pk>/", records.policy_edit, name="policy_edit"),
    path("danh-gia/nguoi/<int:person_pk>/", records.person_record, name="person_record"),
    path(
        "danh-gia/nguoi/<int:person_pk>/chuyen-don-vi/",
        records.person_transfer,
        name="person_transfer",
    ),
]
