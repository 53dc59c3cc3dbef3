"""ISRC (ISO 3901) and UPC/EAN (GS1 check digit) checks: normalised codes back, one-line
errors naming the field, the bad value and what is valid."""

from __future__ import annotations

import pytest

from filmscore.album.codes import check_isrc, check_upc_ean, gs1_check_digit
from filmscore.errors import InputError


@pytest.mark.parametrize("given, expected", [
    ("USRC17607839", "USRC17607839"),
    ("US-RC1-76-07839", "USRC17607839"),
    ("gbaye0601498", "GBAYE0601498"),
    (" FR-Z03-91-00012 ", "FRZ039100012"),
    ("QZ1A22500001", "QZ1A22500001"),  # a registrant code with digits
])
def test_isrc_normalised(given, expected):
    assert check_isrc(given) == expected


@pytest.mark.parametrize("given, words", [
    ("USRC1760783", "12 characters, this one 11"),
    ("USRC176078390", "12 characters, this one 13"),
    ("U1RC17607839", "country code (characters 1-2) must be 2 letters, not 'U1'"),
    ("USR_17607839", "registrant code (characters 3-5) must be 3 letters or digits"),
    ("USRC17X07839", "year (characters 6-7) must be 2 digits, not '7X'"),
    ("USRC1760783A", "designation code (characters 8-12) must be 5 digits"),
    ("", "12 characters, this one 0"),
])
def test_isrc_refused(given, words):
    with pytest.raises(InputError) as caught:
        check_isrc(given, field="track 3 isrc")
    text = str(caught.value)
    assert words in text
    assert text.startswith("field track 3 isrc: ")
    assert "valid: 12 characters CCXXXYYNNNNN" in text
    assert "\n" not in text


@pytest.mark.parametrize("code", [
    "036000291452",  # UPC-A (the GS1 example)
    "4006381333931",  # EAN-13
    "5901234123457",
])
def test_upc_ean_accepted(code):
    assert check_upc_ean(code) == code
    spaced = f"{code[0]} {code[1:7]}-{code[7:]}"
    assert check_upc_ean(spaced) == code


def test_check_digit_named():
    assert gs1_check_digit("03600029145") == 2
    assert gs1_check_digit("400638133393") == 1
    with pytest.raises(InputError) as caught:
        check_upc_ean("036000291453")
    text = str(caught.value)
    assert "wrong UPC-A check digit 3: it should be 2 (036000291452)" in text
    assert text.startswith("field catalog: ")
    with pytest.raises(InputError, match=r"wrong EAN-13 check digit 0: it should be 1"):
        check_upc_ean("4006381333930", field="barcode")


@pytest.mark.parametrize("given, words", [
    ("12345", "12 or 13 digits, this one 5"),
    ("12345678901234", "12 or 13 digits, this one 14"),
    ("03600029145X", "digits only"),
    ("", "digits only"),
])
def test_upc_ean_refused(given, words):
    with pytest.raises(InputError, match=words):
        check_upc_ean(given)
