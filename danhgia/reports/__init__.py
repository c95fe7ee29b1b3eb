"""Results: the reports app. It reads every other app and none imports it.

It is one package of four Django apps, each with its own models and migrations so they grow
independently: `publication` (public and internal pages, feeds), `exports` (PDF forms, Excel
workbooks, background exports), `dashboards` (charts, drill-down, supervision of lenient
evaluation) and `recognition` (initiatives, emulation proposals, rewards).
"""
