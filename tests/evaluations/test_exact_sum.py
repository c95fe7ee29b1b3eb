"""`exact_sum` (the sums a, b, c divide) equals the sum of the same values as Fractions, for
any values a sheet can hold and for values no Decimal context of 60 digits holds exactly."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danhgia.evaluations.rules.scoring import exact_sum

# A credit of 4 decimals (drawn as an integer of ten-thousandths: cheap to generate).
CREDITS = st.integers(0, 999_999_999_999).map(lambda units: Decimal(units).scaleb(-4))
ANY = st.decimals(allow_nan=False, allow_infinity=False)
# The machine may be busy: generating a list must not fail a health check on time.
SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def fraction_sum(values: list[Decimal]) -> Fraction:
    return sum((Fraction(value) for value in values), Fraction(0))


@SETTINGS
@given(st.lists(CREDITS, max_size=60))
def test_equals_the_fraction_sum_of_credits(values: list[Decimal]) -> None:
    assert exact_sum(values) == fraction_sum(values)


@SETTINGS
@given(st.lists(ANY, max_size=20))
def test_equals_the_fraction_sum_of_any_decimals(values: list[Decimal]) -> None:
    assert exact_sum(values) == fraction_sum(values)


def test_a_sum_that_would_round_is_added_as_fractions() -> None:
    values = [Decimal("1E+70"), Decimal("1E-10"), Decimal("-1E+70")]
    assert exact_sum(values) == Fraction(1, 10**10)
    assert exact_sum([]) == 0
