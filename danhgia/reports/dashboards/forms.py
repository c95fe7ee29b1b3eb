"""Forms of the dashboards app: the supervision thresholds."""

from django import forms

from danhgia.reports.dashboards.models import THRESHOLD_FIELDS, SupervisionSettings


class ThresholdsForm(forms.ModelForm):
    class Meta:
        model = SupervisionSettings
        fields = list(THRESHOLD_FIELDS)
