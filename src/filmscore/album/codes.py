"""The identifiers a release carries, checked (pure): the catalog number (UPC-A or EAN-13,
GS1 check digit) and the track's ISRC (ISO 3901).

- **UPC-A** is 12 digits, **EAN-13** 13 (a UPC-A is the EAN-13 with a leading 0): the
  last digit is the GS1 check digit, computed over the others from the right with
  weights 3, 1, 3, 1 ... (``(10 - sum % 10) % 10``).  Spaces and hyphens between the
  digits are accepted ("0 12345 67890 5") and dropped.  A CD's ``CATALOG`` (the Red
  Book's Media Catalogue Number) is 13 digits: :func:`catalog_ean13` pads a UPC-A.
- An **ISRC** is 12 characters, ``CC-XXX-YY-NNNNN``: the country code (two letters), the
  registrant code (three letters or digits), the year of reference (two digits) and the
  designation code (five digits).  It has no check digit.  It is accepted with the three
  hyphens in place or with none, in either case, and stored without hyphens in capitals;
  :func:`format_isrc` gives the hyphenated form for people.

Both checks raise :class:`~filmscore.errors.InputError` naming the field, the value and
what is valid, in one line.
"""

from __future__ import annotations

import re

from filmscore.errors import InputError
from filmscore.limits import is_digits

UPC_DIGITS, EAN_DIGITS = 12, 13
ISRC_LENGTH = 12
_ISRC = re.compile(r"^([A-Z]{2})(-?)([A-Z0-9]{3})(-?)([0-9]{2})(-?)([0-9]{5})$")
_ISRC_PREFIX = re.compile(r"^([A-Z]{2})-?([A-Z0-9]{3})-?([0-9]{2})$")


def gs1_check_digit(digits: str) -> int:
    """The GS1 check digit of ``digits`` (the number without its check digit)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def check_upc_ean(value: str, field: str = "catalog") -> str:
    """A UPC-A (12 digits) or EAN-13 (13 digits) with a right check digit, returned as
    its digits; "" stays "" (no catalog number yet)."""
    text = str(value).strip()
    if not text:
        return ""
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"[0-9]{12,13}", digits):
        raise InputError("not a UPC-A or EAN-13 catalog number", field=field, value=text,
                         valid="12 digits (UPC-A) or 13 digits (EAN-13), the last the "
                               "check digit")
    want = gs1_check_digit(digits[:-1])
    if int(digits[-1]) != want:
        kind = "UPC-A" if len(digits) == UPC_DIGITS else "EAN-13"
        raise InputError(f"the {kind} check digit is wrong", field=field, value=text,
                         valid=f"{digits[:-1]}{want} (check digit {want})")
    return digits


def catalog_ean13(value: str, field: str = "catalog") -> str:
    """The 13-digit form of a checked catalog number (a UPC-A with a leading 0), as a
    CD's CATALOG (Media Catalogue Number) holds it; "" stays ""."""
    digits = check_upc_ean(value, field)
    return digits.rjust(EAN_DIGITS, "0") if digits else ""


def check_isrc(value: str, field: str = "isrc") -> str:
    """An ISRC (``CC-XXX-YY-NNNNN``, with its three hyphens or none), returned as its 12
    characters in capitals; "" stays "" (no ISRC)."""
    text = str(value).strip()
    if not text:
        return ""
    match = _ISRC.match(text.upper())
    hyphens = match.group(2) + match.group(4) + match.group(6) if match else ""
    if match is None or hyphens not in ("", "---"):
        raise InputError(_isrc_problem(text.upper()), field=field, value=text,
                         valid="CC-XXX-YY-NNNNN (country letters, registrant letters or "
                               "digits, year digits, designation digits), e.g. "
                               "US-S1Z-99-00001 or USS1Z9900001")
    return "".join(match.group(1, 3, 5, 7))


def _isrc_problem(text: str) -> str:
    """Which part of an ISRC is wrong, for the message."""
    bare = text.replace("-", "")
    if len(bare) != ISRC_LENGTH:
        return f"an ISRC has {ISRC_LENGTH} characters, not {len(bare)}"
    if not bare[:2].isalpha() or not bare[:2].isascii():
        return "an ISRC starts with a two-letter country code"
    if not bare[2:5].isalnum() or not bare[2:5].isascii():
        return "an ISRC's registrant code is three letters or digits"
    if not is_digits(bare[5:7]):
        return "an ISRC's year is two digits"
    if not is_digits(bare[7:]):
        return "an ISRC's designation code is five digits"
    return "an ISRC is written CC-XXX-YY-NNNNN or without hyphens"


def format_isrc(value: str) -> str:
    """``USS1Z9900001`` as ``US-S1Z-99-00001`` ("" stays "")."""
    code = check_isrc(value)
    return f"{code[:2]}-{code[2:5]}-{code[5:7]}-{code[7:]}" if code else ""


def isrc_series(prefix: str, first: int, count: int, *, field: str = "isrc") -> list[str]:
    """``count`` ISRCs of one registrant and year from designation ``first``:
    ``isrc_series("US-S1Z-26", 1, 3)`` -> USS1Z2600001, USS1Z2600002, USS1Z2600003."""
    match = _ISRC_PREFIX.match(str(prefix).strip().upper())
    if match is None:
        raise InputError("not an ISRC prefix", field=field, value=str(prefix),
                         valid="CC-XXX-YY (country, registrant, year), e.g. US-S1Z-26")
    if first < 0 or first + count - 1 > 99999:
        raise InputError("ISRC designation codes run from 00000 to 99999", field=field,
                         value=f"{first} to {first + count - 1}",
                         valid="a first number that leaves room for every track")
    head = "".join(match.groups())
    return [f"{head}{n:05d}" for n in range(first, first + count)]
