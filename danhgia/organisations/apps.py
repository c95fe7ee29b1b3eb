from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "danhgia.organisations"
    verbose_name = _("organisations")

    def ready(self) -> None:
        from danhgia.core.audit import register_action_labels

        register_action_labels(
            {
                "unit.created": _("unit created"),
                "unit.updated": _("unit changed"),
                "unit.merged": _("unit merged"),
                "person.created": _("person added"),
                "person.updated": _("profile changed"),
                "person.login_created": _("login created"),
                "role.assigned": _("role assigned"),
                "role.ended": _("role ended"),
                "job_position.created": _("job position created"),
                "import.committed": _("file imported"),
                "demo.seeded": _("demo data loaded"),
            }
        )
