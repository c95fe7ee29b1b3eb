from django.urls import path

from danhgia.work.views import catalogue, plans, schedules, tasks

app_name = "work"

urlpatterns = [
    # Tasks (views/tasks.py)
    path("cong-viec/cua-toi/", tasks.my_tasks, name="my_tasks"),
    path("cong-viec/don-vi/<int:unit_pk>/", tasks.task_board, name="task_board"),
    path("cong-viec/giao-viec/", tasks.task_assign, name="task_assign"),
    path("cong-viec/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("cong-viec/<int:pk>/tien-do/", tasks.task_progress, name="task_progress"),
    path("cong-viec/<int:pk>/hoan-thanh/", tasks.task_complete, name="task_complete"),
    path("cong-viec/<int:pk>/gia-han/", tasks.extension_request, name="extension_request"),
    path("gia-han/<int:pk>/tra-loi/", tasks.extension_answer, name="extension_answer"),
    path("cong-viec/<int:pk>/danh-gia/", tasks.task_assess, name="task_assess"),
    path("cong-viec/<int:pk>/chuyen-dau-moi/", tasks.task_reassign, name="task_reassign"),
    path("cong-viec/<int:pk>/huy/", tasks.task_cancel, name="task_cancel"),
    path("minh-chung/<int:pk>/", tasks.evidence_download, name="evidence_download"),
    # Product catalogue (views/catalogue.py)
    path("danh-muc-san-pham/", catalogue.catalogue, name="catalogue"),
    path("danh-muc-san-pham/moi/", catalogue.product_create, name="product_create"),
    path("danh-muc-san-pham/<int:pk>/sua/", catalogue.product_revise, name="product_revise"),
    path("danh-muc-san-pham/nhap/", catalogue.product_import, name="product_import"),
    path(
        "danh-muc-san-pham/nhap/<int:pk>/",
        catalogue.product_import_preview,
        name="product_import_preview",
    ),
    path("danh-muc-san-pham/mau/", catalogue.product_template, name="product_template"),
    # Monthly work plans (views/plans.py)
    path("ke-hoach/", plans.plan_list, name="plan_list"),
    path("ke-hoach/moi/", plans.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", plans.plan_edit, name="plan_edit"),
    path("ke-hoach/<int:pk>/them/", plans.plan_item_add, name="plan_item_add"),
    path("ke-hoach/muc/<int:pk>/bo/", plans.plan_item_remove, name="plan_item_remove"),
    path("ke-hoach/<int:pk>/trinh/", plans.plan_submit, name="plan_submit"),
    path("ke-hoach/<int:pk>/duyet/", plans.plan_approve, name="plan_approve"),
    path("ke-hoach/<int:pk>/tra-lai/", plans.plan_return, name="plan_return"),
    # Weekly schedules (views/schedules.py)
    path("lich-tuan/", schedules.week_view, name="week_view"),
    path("lich-tuan/moi/", schedules.schedule_create, name="schedule_create"),
    path("lich-tuan/<int:pk>/sua/", schedules.schedule_edit, name="schedule_edit"),
    path("lich-tuan/<int:pk>/them/", schedules.schedule_entry_add, name="schedule_entry_add"),
    path(
        "lich-tuan/muc/<int:pk>/xoa/",
        schedules.schedule_entry_delete,
        name="schedule_entry_delete",
    ),
    path("lich-tuan/<int:pk>/cong-bo/", schedules.schedule_publish, name="schedule_publish"),
    path("lich-tuan/<int:pk>/in/", schedules.schedule_print, name="schedule_print"),
]
