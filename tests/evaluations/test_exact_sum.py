"""`exact_sum` (the sums a, b, c divide) equals the sum of the same values as Fractions, for
any values a sheet can hold and for values no Decimal context of 60 digits holds exactly."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from danhgia.evaluations.rules.scoring import exact_sum

CREDITS = st.decimals(min_value=0, max_value=Decimal("99999999.9999"), places=4)
ANY = st.decimals(allow_nan=False, allow_infinity=False)


def fraction_sum(values: list[Decimal]) -> Fraction:
    return sum((Fraction(value) for value in values), Fraction(0))


@given(st.lists(CREDITS, max_size=200))
def test_equals_the_fraction_sum_of_credits(values: list[Decimal]) -> None:
    assert exact_sum(values) == fraction_sum(values)


@given(st.lists(ANY, max_size=20))
def test_equals_the_fraction_sum_of_any_decimals(values: list[Decimal]) -> None:
    assert exact_sum(values) == fraction_sum(values)


def test_a_sum_that_would_round_is_added_as_fractions() -> None:
    values = [Decimal("1E+70"), Decimal("1E-10"), Decimal("-1E+70")]
    assert exact_sum(values) == Fraction(1, 10**10)
    assert exact_sum([]) == 0
