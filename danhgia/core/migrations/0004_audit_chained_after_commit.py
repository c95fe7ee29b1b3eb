"""Audit rows are chained after their transaction commits: `seq` is the position in the chain.

The rows written so far were chained under a lock held until COMMIT, so their id order is
their chain order: they are numbered 1, 2, ... in id order (hashes unchanged).
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_audit_anchor'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditlog',
            name='seq',
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.RunSQL(
            "UPDATE core_auditlog SET seq = numbered.position FROM (SELECT id, "
            "row_number() OVER (ORDER BY id) AS position FROM core_auditlog) AS numbered "
            "WHERE core_auditlog.id = numbered.id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='auditlog',
            name='hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name='auditlog',
            name='prev_hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddIndex(
            model_name='auditlog',
            index=models.Index(condition=models.Q(('seq__isnull', True)), fields=['id'], name='core_auditlog_unchained'),
        ),
        migrations.AddConstraint(
            model_name='auditlog',
            constraint=models.UniqueConstraint(condition=models.Q(('hash', ''), _negated=True), fields=('hash',), name='core_auditlog_hash_unique'),
        ),
    ]
