"""The release codes a record carries, checked: the ISRC of each recording (ISO 3901) and
the album's barcode (GS1 UPC-A or EAN-13, the CD's CATALOG / Media Catalogue Number).

Both functions return the normalised code and raise ``errors.InputError`` naming the
field, the bad value and what is valid (for a barcode: the check digit it should end in).
"""

from __future__ import annotations

import re

from filmscore.errors import InputError

#: ISO 3901: CC (country, letters), XXX (registrant, letters or digits), YY (year of
#: reference, digits), NNNNN (designation, digits)
ISRC_PARTS = (("country code", 0, 2, re.compile(r"[A-Z]{2}"), "2 letters"),
              ("registrant code", 2, 5, re.compile(r"[A-Z0-9]{3}"), "3 letters or digits"),
              ("year", 5, 7, re.compile(r"[0-9]{2}"), "2 digits"),
              ("designation code", 7, 12, re.compile(r"[0-9]{5}"), "5 digits"))
ISRC_FORMAT = "12 characters CCXXXYYNNNNN (hyphens allowed), e.g. USRC17607839"


def check_isrc(value: str, *, field: str = "isrc") -> str:
    """The ISRC ``value`` normalised (upper case, hyphens and spaces removed): 12
    characters CCXXXYYNNNNN; InputError naming what is wrong."""
    text = str(value if value is not None else "")
    code = text.strip().replace("-", "").replace(" ", "").upper()
    if len(code) != 12:
        raise InputError(f"an ISRC has 12 characters, this one {len(code)}", field=field,
                         value=text, valid=ISRC_FORMAT)
    for name, start, end, pattern, valid in ISRC_PARTS:
        if not pattern.fullmatch(code[start:end]):
            raise InputError(f"the ISRC's {name} (characters {start + 1}-{end}) must be "
                             f"{valid}, not {code[start:end]!r}", field=field, value=text,
                             valid=ISRC_FORMAT)
    return code


def gs1_check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit of ``digits`` (the code without its check digit): from
    the right, weights 3, 1, 3, 1...; the digit that makes the sum a multiple of 10."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def check_upc_ean(value: str, *, field: str = "catalog") -> str:
    """The barcode ``value`` normalised (spaces and hyphens removed): a UPC-A of 12
    digits or an EAN-13 of 13 whose last digit is the GS1 check digit; InputError naming
    the check digit expected when it is wrong."""
    text = str(value if value is not None else "")
    code = text.strip().replace(" ", "").replace("-", "")
    valid = "a UPC-A (12 digits) or EAN-13 (13 digits) ending in its GS1 check digit"
    if not code.isdigit() or not code.isascii():
        raise InputError("a UPC/EAN is digits only", field=field, value=text, valid=valid)
    if len(code) not in (12, 13):
        raise InputError(f"a UPC/EAN has 12 or 13 digits, this one {len(code)}",
                         field=field, value=text, valid=valid)
    expected = gs1_check_digit(code[:-1])
    if int(code[-1]) != expected:
        kind = "UPC-A" if len(code) == 12 else "EAN-13"
        raise InputError(f"wrong {kind} check digit {code[-1]}: it should be {expected} "
                         f"({code[:-1]}{expected})", field=field, value=text, valid=valid)
    return code
