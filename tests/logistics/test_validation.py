"""Check digits: ISO 6346 container numbers and IMO ship numbers."""

import pytest

from ex1000.logistics.validation import (
    container_check_digit,
    valid_container_number,
    valid_imo,
    valid_place_code,
)


@pytest.mark.parametrize("number", ["CSQU3054383", "MSCU6639870", "csqu 305438-3"])
def test_valid_container_numbers(number):
    assert valid_container_number(number)


@pytest.mark.parametrize(
    "number",
    ["CSQU3054384", "MSCU6639871", "CSQX3054383", "CSQ3054383", "CSQU305438", "", "12345678901"],
)
def test_invalid_container_numbers(number):
    assert not valid_container_number(number)


def test_the_check_digit_of_the_iso_6346_example():
    assert container_check_digit("CSQU305438") == 3


@pytest.mark.parametrize("number", ["9074729", "IMO 9074729", "9176187"])
def test_valid_imo_numbers(number):
    assert valid_imo(number)


@pytest.mark.parametrize("number", ["9074728", "907472", "90747290", "IMO", "abcdefg"])
def test_invalid_imo_numbers(number):
    assert not valid_imo(number)


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("CNSHA", True),
        ("AEJEA", True),
        ("CN SH", False),
        ("cnsha", False),
        ("CNSH", False),
        ("CNSH1", False),
    ],
)
def test_place_codes(code, ok):
    assert valid_place_code(code) is ok
