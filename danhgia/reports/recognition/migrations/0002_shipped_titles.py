from django.db import migrations


def create_titles(apps, schema_editor):  # type: ignore[no-untyped-def]
    from danhgia.reports.recognition.shipped import ensure_shipped_titles

    ensure_shipped_titles(apps.get_model("reports_recognition", "EmulationTitle"))


class Migration(migrations.Migration):
    dependencies = [("reports_recognition", "0001_initial")]

    operations = [migrations.RunPython(create_titles, migrations.RunPython.noop)]
