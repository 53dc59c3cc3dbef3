"""The release identifiers (pure): UPC-A / EAN-13 with the GS1 check digit, ISRC per
ISO 3901 with or without hyphens; each bad value a one-line error naming the field."""

from __future__ import annotations

import pytest

from filmscore.album.codes import (
    catalog_ean13,
    check_isrc,
    check_upc_ean,
    format_isrc,
    gs1_check_digit,
    isrc_series,
)
from filmscore.errors import InputError


def test_upc_and_ean_with_their_check_digits():
    assert check_upc_ean("036000291452") == "036000291452"  # UPC-A
    assert check_upc_ean("4006381333931") == "4006381333931"  # EAN-13
    assert check_upc_ean("0 36000 29145-2") == "036000291452"
    assert check_upc_ean("") == ""
    assert gs1_check_digit("03600029145") == 2
    assert catalog_ean13("036000291452") == "0036000291452"
    assert catalog_ean13("4006381333931") == "4006381333931"


@pytest.mark.parametrize("value, words", [
    ("036000291453", "the UPC-A check digit is wrong"),
    ("4006381333932", "the EAN-13 check digit is wrong"),
    ("12345", "not a UPC-A or EAN-13"),
    ("03600029145X", "not a UPC-A or EAN-13"),
    ("03600029145²", "not a UPC-A or EAN-13"),
    ("03600029145234", "not a UPC-A or EAN-13"),
])
def test_bad_catalog_numbers(value, words):
    with pytest.raises(InputError) as caught:
        check_upc_ean(value, field="catalog")
    text = str(caught.value)
    assert words in text and "field catalog" in text and value in text
    assert "\n" not in text


def test_isrc_with_or_without_hyphens():
    assert check_isrc("US-S1Z-99-00001") == "USS1Z9900001"
    assert check_isrc("uss1z9900001") == "USS1Z9900001"
    assert check_isrc(" GB-AAA-26-12345 ") == "GBAAA2612345"
    assert check_isrc("") == ""
    assert format_isrc("USS1Z9900001") == "US-S1Z-99-00001"
    assert isrc_series("US-S1Z-26", 9, 3) == ["USS1Z2600009", "USS1Z2600010", "USS1Z2600011"]


@pytest.mark.parametrize("value, words", [
    ("US-S1Z-99-0001", "12 characters, not 11"),
    ("1S-S1Z-99-00001", "two-letter country code"),
    ("US-S_Z-99-00001", "registrant code"),
    ("US-S1Z-9A-00001", "year is two digits"),
    ("US-S1Z-99-0000A", "designation code is five digits"),
    ("US-S1Z9900001", "CC-XXX-YY-NNNNN or without hyphens"),
])
def test_bad_isrcs(value, words):
    with pytest.raises(InputError) as caught:
        check_isrc(value, field="isrc")
    text = str(caught.value)
    assert words in text and "field isrc" in text and value in text
    assert "\n" not in text


def test_isrc_series_refuses_a_bad_prefix_and_an_overflow():
    with pytest.raises(InputError, match="not an ISRC prefix"):
        isrc_series("US-S1Z", 1, 2)
    with pytest.raises(InputError, match="00000 to 99999"):
        isrc_series("US-S1Z-26", 99999, 2)
