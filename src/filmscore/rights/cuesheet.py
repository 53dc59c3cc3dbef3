"""The performing-rights (PRO) cue sheet, computed from the film's music timeline (pure).

Not the music editor's cue sheet of takes (``recording.takelog.cue_sheet``): this is the
sheet the production files with the performing-rights societies (ASCAP, BMI, PRS,
SACEM...) so that the composer and publisher are paid when the film is shown.  One row per
*use* of a cue in film order (a cue heard twice is listed twice: ``1M3`` and
``1M3 (use 2)``), with its record in and out timecode, its duration, its usage code
(``mixing.vocabulary.USAGES``), and its composers and publishers with their shares,
societies and IPI numbers; then the music duration per usage.

Rules, all exact:

* **Duration** is the use's exact length in samples (``end_sample - start_sample`` of the
  timeline) made whole seconds by *rounding up* (:func:`whole_seconds`): any part of a
  second counts as a second, so a 0.2 s sting is ``0:01``, never ``0:00`` (societies pay
  per second heard and refuse zero durations).  It is written ``M:SS`` (``12:05``;
  minutes past 59 stay minutes, ``75:10``).  Totals add the rounded durations, so the
  totals are what the rows on the page add up to.
* **Shares** are exact decimals (``decimal.Decimal`` from the text: ``"33.33"``), never
  floats; for every cue the composers' shares add up to exactly 100 and, when the cue has
  publishers, so do the publishers' (``33.33 + 33.33 + 33.34``).  A cue with no shares of
  its own takes the project's default shares.
* **IPI** numbers: the IPI *name number* of CISAC's IPI system is 11 digits; the older
  CAE numbers it replaced were 9 digits and are carried into IPI by two leading zeros, and
  10-digit forms with one zero dropped are common on forms.  So 9 to 11 digits are
  accepted (spaces, dots and dashes dropped) and kept zero-padded to 11
  (:func:`normalize_ipi`); the two check digits are not verified.  An empty IPI is allowed
  (a writer not yet affiliated).
* **PRO** and **usage** are checked against ``mixing.vocabulary.PROS`` and ``USAGES``.

Every refusal is one line naming the cue or holder, the bad value and what is valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from filmscore.errors import ValidationError
from filmscore.limits import is_digits
from filmscore.mixing.timeline import MusicTimeline, Placed
from filmscore.rights.vocabulary import PROS, SHARE_ROLES, USAGES
from filmscore.timecode import Rate, format_label, get_rate

HUNDRED = Decimal(100)
IPI_DIGITS = 11


@dataclass(frozen=True)
class Holder:
    """A writer (``role`` composer) or publisher, with society and IPI name number."""

    name: str
    role: str  # one of SHARE_ROLES
    pro: str = ""
    ipi: str = ""  # 11 digits, or empty


@dataclass(frozen=True)
class Share:
    """A holder's share of one cue, per cent (exact)."""

    holder: Holder
    percent: Decimal

    @property
    def text(self) -> str:
        """The share as written on the sheet: ``50``, ``33.33`` (no trailing zeros)."""
        return format_percent(self.percent)


@dataclass(frozen=True)
class CueSheetRow:
    """One use of one cue on the PRO cue sheet."""

    sequence: int  # 1, 2, ... in film order
    cue: str  # "1M3"
    use: int  # 1, 2, ...
    title: str
    record_in: int  # frames at the project rate (timeline's record_in / record_out)
    record_out: int
    tc_in: str  # record timecode, drop-frame aware
    tc_out: str
    exact_seconds: Fraction  # exact length of the use
    seconds: int  # rounded up: what the sheet says
    usage: str  # code, e.g. "BI"
    usage_meaning: str  # "background instrumental"
    composers: tuple[Share, ...]
    publishers: tuple[Share, ...]

    @property
    def label(self) -> str:
        """``1M3`` for the first use, ``1M3 (use 2)`` for another."""
        return self.cue if self.use == 1 else f"{self.cue} (use {self.use})"

    @property
    def duration(self) -> str:
        return format_seconds(self.seconds)


@dataclass(frozen=True)
class UsageTotal:
    usage: str
    meaning: str
    uses: int
    seconds: int

    @property
    def duration(self) -> str:
        return format_seconds(self.seconds)


@dataclass(frozen=True)
class ProCueSheet:
    """The whole PRO cue sheet of a production."""

    title: str
    rate: Rate
    picture_version: int | None
    composer: str
    date: str  # ISO date the sheet was made
    rows: tuple[CueSheetRow, ...]
    totals: tuple[UsageTotal, ...] = field(default=())

    @property
    def total_seconds(self) -> int:
        return sum(t.seconds for t in self.totals)

    @property
    def total_duration(self) -> str:
        return format_seconds(self.total_seconds)

    @property
    def holders(self) -> tuple[Holder, ...]:
        """Every holder named on the sheet, in first-appearance order."""
        seen: dict[str, Holder] = {}
        for row in self.rows:
            for share in (*row.composers, *row.publishers):
                seen.setdefault(share.holder.name, share.holder)
        return tuple(seen.values())


# --- values -------------------------------------------------------------------------------

def whole_seconds(seconds: Fraction) -> int:
    """Exact seconds rounded *up* to whole seconds (0 stays 0)."""
    return -((-seconds.numerator) // seconds.denominator)


def format_seconds(seconds: int) -> str:
    """Whole seconds as ``M:SS`` (``0:07``, ``2:05``, ``75:10``)."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def format_percent(value: Decimal) -> str:
    """A share without trailing zeros or exponent: ``50``, ``33.33``, ``12.5``."""
    text = format(value.normalize(), "f")
    return text


def parse_share(text: str | int | Decimal, *, where: str, holder: str) -> Decimal:
    """A share as an exact decimal per cent (``"33.33"``, ``"50%"``), more than 0 and at
    most 100."""
    raw = str(text).strip().removesuffix("%").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(f"{where}: the share of {holder} is not a number",
                              field="share", value=str(text),
                              valid="a per cent such as 50 or 33.33")
    if not Decimal(0) < value <= HUNDRED:
        raise ValidationError(f"{where}: the share of {holder} is out of range",
                              field="share", value=str(text),
                              valid="more than 0 and at most 100 (per cent)")
    return value


def normalize_ipi(text: str, *, holder: str = "") -> str:
    """An IPI name number as 11 digits: 9 to 11 digits accepted (spaces, dots and dashes
    dropped), zero-padded on the left; empty stays empty."""
    raw = (text or "").strip()
    digits = "".join(c for c in raw if c not in " .-")
    if not digits:
        return ""
    if not is_digits(digits) or not 9 <= len(digits) <= IPI_DIGITS:
        who = f"holder {holder}: " if holder else ""
        raise ValidationError(f"{who}not an IPI name number", field="ipi", value=raw,
                              valid="9 to 11 digits (kept as 11, zero-padded), or empty")
    return digits.zfill(IPI_DIGITS)


def check_pro(pro: str, *, holder: str = "") -> str:
    """A society from the vocabulary (upper-cased), or empty."""
    value = (pro or "").strip().upper()
    if value and value not in PROS:
        who = f"holder {holder}: " if holder else ""
        raise ValidationError(f"{who}unknown performing-rights society", field="pro",
                              value=pro, valid=", ".join(PROS))
    return value


def check_role(role: str, *, holder: str = "") -> str:
    value = (role or "").strip().lower()
    if value not in SHARE_ROLES:
        who = f"holder {holder}: " if holder else ""
        raise ValidationError(f"{who}unknown rights role", field="role", value=role,
                              valid=", ".join(SHARE_ROLES))
    return value


def check_usage(usage: str, *, cue: str = "") -> str:
    """A usage code from the vocabulary (upper-cased)."""
    value = (usage or "").strip().upper()
    if value not in USAGES:
        where = f"cue {cue}: " if cue else ""
        raise ValidationError(f"{where}unknown cue-sheet usage", field="usage", value=usage,
                              valid=", ".join(f"{c} ({m.split(' (')[0]})"
                                              for c, m in USAGES.items()))
    return value


def check_holder(holder: Holder) -> Holder:
    """The holder with its role, society and IPI checked and normalised."""
    name = holder.name.strip()
    if not name:
        raise ValidationError("a rights holder needs a name", field="name", value=holder.name,
                              valid="a name such as 'Jane Doe' or 'Tidewater Music'")
    return Holder(name, check_role(holder.role, holder=name), check_pro(holder.pro,
                                                                         holder=name),
                  normalize_ipi(holder.ipi, holder=name))


def check_shares(where: str, shares: Sequence[Share]) -> tuple[tuple[Share, ...],
                                                               tuple[Share, ...]]:
    """(composers, publishers) of one cue, each role adding up to exactly 100 per cent;
    composers are required, publishers optional (an unpublished score)."""
    by_role: dict[str, list[Share]] = {role: [] for role in SHARE_ROLES}
    names: set[str] = set()
    for share in shares:
        if share.holder.name in names:
            raise ValidationError(f"{where}: {share.holder.name} is named twice",
                                  field="share", value=share.holder.name,
                                  valid="each holder once per cue")
        names.add(share.holder.name)
        by_role[share.holder.role].append(share)
    composers, publishers = by_role["composer"], by_role["publisher"]
    if not composers:
        raise ValidationError(f"{where}: no composer shares", field="shares",
                              valid="at least one composer; set them with 'filmscore rights "
                                    "share CUE NAME=PCT ...' or '--default'")
    for role, rows in (("composer", composers), ("publisher", publishers)):
        if not rows:
            continue
        total = sum((s.percent for s in rows), Decimal(0))
        if total != HUNDRED:
            parts = " + ".join(f"{s.holder.name} {s.text}" for s in rows)
            raise ValidationError(
                f"{where}: the {role} shares add up to {format_percent(total)}%, not 100%",
                field="shares", value=parts,
                valid=f"{role} shares that add up to exactly 100 (e.g. 33.33 + 33.33 + "
                      "33.34)")
    return tuple(composers), tuple(publishers)


def resolve_shares(where: str, wanted: Mapping[str, str | Decimal],
                   holders: Mapping[str, Holder]) -> list[Share]:
    """``{holder name: per cent}`` as Shares, each holder known."""
    out = []
    for name, pct in wanted.items():
        holder = holders.get(name)
        if holder is None:
            raise ValidationError(f"{where}: no rights holder {name!r}", field="holder",
                                  value=name, valid=", ".join(holders) or
                                  "none yet: add one with 'filmscore rights add'")
        out.append(Share(holder, parse_share(pct, where=where, holder=name)))
    return out


# --- the sheet ----------------------------------------------------------------------------

def _exact_seconds(use: Placed, rate: Rate, sample_rate: int) -> Fraction:
    if use.end_sample > use.start_sample and sample_rate:
        return Fraction(use.end_sample - use.start_sample, sample_rate)
    return Fraction(use.frames) / rate.fps


def cue_sheet_rows(timeline: MusicTimeline, holders: Iterable[Holder],
                   shares: Mapping[str | None, Mapping[str, str | Decimal]]
                   ) -> tuple[CueSheetRow, ...]:
    """Every use on ``timeline`` as a cue-sheet row, in film order.

    ``shares`` maps a cue number (``None``: the project's default, for every cue without
    its own) to ``{holder name: per cent}``.  Refuses (ValidationError) a usage, holder or
    share that is not valid, and a cue whose shares do not add up to 100 per role.
    """
    rate = get_rate(timeline.rate)
    known = {h.name: h for h in (check_holder(h) for h in holders)}
    checked: dict[str | None, tuple[tuple[Share, ...], tuple[Share, ...]]] = {}

    def shares_of(cue: str) -> tuple[tuple[Share, ...], tuple[Share, ...]]:
        key = cue if cue in shares and shares[cue] else None
        if key not in checked:
            wanted = shares.get(key) or {}
            where = f"cue {cue}" if key is not None else (
                f"cue {cue} (the project's default shares)")
            checked[key] = check_shares(where, resolve_shares(where, wanted, known))
        return checked[key]

    rows = []
    for number, use in enumerate(timeline.placements, start=1):
        usage = check_usage(use.usage, cue=use.cue)
        composers, publishers = shares_of(use.cue)
        exact = _exact_seconds(use, rate, timeline.sample_rate)
        rows.append(CueSheetRow(
            sequence=number, cue=use.cue, use=use.use, title=use.title,
            record_in=use.record_in, record_out=use.record_out,
            tc_in=format_label(use.record_in, rate), tc_out=format_label(use.record_out, rate),
            exact_seconds=exact, seconds=whole_seconds(exact), usage=usage,
            usage_meaning=USAGES[usage], composers=composers, publishers=publishers))
    return tuple(rows)


def usage_totals(rows: Iterable[CueSheetRow]) -> tuple[UsageTotal, ...]:
    """The music per usage (uses and rounded seconds), in the vocabulary's order."""
    uses: dict[str, int] = {}
    seconds: dict[str, int] = {}
    for row in rows:
        uses[row.usage] = uses.get(row.usage, 0) + 1
        seconds[row.usage] = seconds.get(row.usage, 0) + row.seconds
    return tuple(UsageTotal(code, USAGES[code], uses[code], seconds[code])
                 for code in USAGES if code in uses)


def pro_cue_sheet_of(timeline: MusicTimeline, holders: Iterable[Holder],
                     shares: Mapping[str | None, Mapping[str, str | Decimal]], *,
                     composer: str = "", date: str = "") -> ProCueSheet:
    """The whole sheet: rows and totals (see :func:`cue_sheet_rows`)."""
    rows = cue_sheet_rows(timeline, holders, shares)
    return ProCueSheet(timeline.title, get_rate(timeline.rate), timeline.picture_version,
                       composer, date, rows, usage_totals(rows))
