"""The rules engine: a rulebook's JSON parsed into typed settings, and pure scoring functions.

Rules are data; formulas are code strategies chosen by name and tuned by parameters, never
text evaluated at run time. Nothing here reads or writes the database.

- `codes`: the stable codes of levels and vetoes;
- `reading`: `RuleError` and the typed readers of JSON values;
- `schema`: `parse_rulebook()` / `parse_parts()` → `RulebookConfig`;
- `facts`: what the scoring needs to know about tasks and leaders;
- `scoring`: the strategies (`STRATEGIES`) and `score_tasks()`;
- `levels`: bands by score, names, ranks;
- `quota`: the share of "excellent" within a unit and its groups;
- `vetoes`: facts that force the lowest level whatever the score.
"""
