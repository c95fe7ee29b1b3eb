"""Forms of the dashboards app: the supervision thresholds."""

from danhgia.core.forms import ModelForm
from danhgia.reports.dashboards.models import THRESHOLD_FIELDS, SupervisionSettings


class ThresholdsForm(ModelForm):
    class Meta:
        model = SupervisionSettings
        fields = list(THRESHOLD_FIELDS)
