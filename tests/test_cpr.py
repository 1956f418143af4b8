import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, strategies as st

from traedesten.demo.data.people import make_cpr
from traedesten.people.cpr import parse_cpr


@pytest.mark.parametrize(
    "number, birth, sex",
    [
        ("211062-5629", datetime.date(1862, 10, 21), "male"),  # 5-8 with year >= 58: 1800s
        ("2110620629", datetime.date(1962, 10, 21), "male"),  # 0-3: 1900s
        ("0101651234", datetime.date(1965, 1, 1), "female"),  # 0-3: 1900s
        ("0101154234", datetime.date(2015, 1, 1), "female"),  # 4 with year < 37: 2000s
        ("0101454235", datetime.date(1945, 1, 1), "male"),  # 4 with year >= 37: 1900s
        ("0101129876", datetime.date(2012, 1, 1), "female"),  # 9 with year < 37: 2000s
        ("0101605001", datetime.date(1860, 1, 1), "male"),  # 5-8 with year >= 58: 1800s
        ("0101105001", datetime.date(2010, 1, 1), "male"),  # 5-8 with year < 58: 2000s
    ],
)
def test_century_and_sex_rules(number, birth, sex):
    cpr = parse_cpr(number)
    assert cpr.birth_date == birth
    assert cpr.sex == sex
    assert cpr.formatted == f"{cpr.digits[:6]}-{cpr.digits[6:]}"


def test_modulus_11_is_not_required():
    # 2110625628 fails the old modulus-11 check but is a valid number today.
    assert parse_cpr("2110625628").digits == "2110625628"


@pytest.mark.parametrize(
    "number, code",
    [
        ("12345", "cpr_length"),
        ("21106256299", "cpr_length"),
        ("2110a25629", "cpr_format"),
        ("3102901234", "cpr_date"),
        ("0013901234", "cpr_date"),
        ("", "cpr_length"),
    ],
)
def test_invalid_numbers_get_danish_messages(number, code):
    with pytest.raises(ValidationError) as err:
        parse_cpr(number)
    assert err.value.code == code
    assert "CPR" in err.value.messages[0]


def test_future_birth_date_is_rejected():
    with pytest.raises(ValidationError) as err:
        parse_cpr("0101304000", today=datetime.date(2026, 11, 24))  # 1 Jan 2030
    assert err.value.code == "cpr_future"
    assert "fremtiden" in err.value.messages[0]


@given(
    birth=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31)),
    sex=st.sampled_from(["male", "female"]),
    seed=st.integers(0, 10_000),
)
def test_generated_demo_cprs_round_trip(birth, sex, seed):
    import random

    cpr = parse_cpr(make_cpr(random.Random(seed), birth, sex))
    assert cpr.birth_date == birth
    assert cpr.sex == sex


@given(st.text(max_size=30))
def test_arbitrary_text_is_valid_or_a_validation_error(value):
    try:
        cpr = parse_cpr(value)
    except ValidationError as err:
        assert err.messages
    else:
        assert len(cpr.digits) == 10 and cpr.digits.isdigit()
