"""What evaluations tells the apps above it, which it may not import (the layers run one way):
`figures_changed`, sent by `services.versions.figures_changed` inside every write that bumps a
period's data version. Keyword argument: `period_ids`. The dashboards queue the rebuild of
their summaries when the write commits (docs/decisions.md, "A GET never writes, entirely")."""

from django.dispatch import Signal

figures_changed = Signal()
