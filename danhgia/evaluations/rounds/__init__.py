"""The decision round: one workflow for a month, a quarter (both `Period`) and a year
(`annual.AnnualPeriod`).

A round is the set of sheets a head decides in a period. The quota is a property of the
round's outcome, not of the order of clicks:

- `quota.py` (pure): the outcome (decided levels, else the standing proposals), the best
  case (decided levels, else the level that helps the quota most) and the verdict on one
  change;
- `scope.py`: the quota scope of a sheet (the named decider's nearest headship) and its rows;
- `decide.py`: decide one row, accept every plain proposal: the same judgement for both;
- `close.py`: closing or publishing is refused while a scope is over the quota;
- `kind.py`: what differs between a month and a year, given by an adapter (`month.py` here,
  `annual/round.py` for the year).
"""
