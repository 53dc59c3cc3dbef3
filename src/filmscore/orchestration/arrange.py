"""The plan of an orchestration: which chair plays what of which staff, where, and why.

``plan(...)`` is pure: from the short score's staves, the ensemble, the cue's brief (read
by ``brief.read_brief``) and the doublings asked for, it makes one ``Layer`` per chair and
job.  Asks of the notes come first (a named lead, an oom-pah, a colour for a subject),
then the book's layers for what is left (``book.BOOK``), then explicit doublings.  A chair
has one job for the whole cue, or a job inside spans that beats its whole-cue job there.
Families the scale does not make available and the notes do not name rest (``tacet``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from fractions import Fraction

from filmscore.errors import InputError
from filmscore.orchestration.book import (
    BALANCE,
    BASS,
    BOOK,
    BRASS_FAMILIES,
    CHAMBER_CHAIRS,
    CHAMBER_STRINGS,
    FAMILY,
    FAMILY_LEADS,
    FIGURE_CHAIRS,
    HARMONY,
    HORN_ORDER,
    LEAD,
    NO_BRIEF_SCALE,
    ROLES,
    SCALE_FAMILIES,
    SECTION_OF,
    STACK_BELOW,
    TUTTI_LEADS,
    USUAL,
    BookLayer,
)
from filmscore.orchestration.brief import GENERIC_SUBJECTS, Ask, Reading, Span, subject_spans
from filmscore.orchestration.ensembles import Chair, Ensemble
from filmscore.orchestration.groups import (
    INSTRUMENT_GROUP,
    group_chairs,
    normalise_staff_name,
    select_chairs,
)
from filmscore.orchestration.instruments import get_instrument
from filmscore.orchestration.layers import Layer, Modifier, Plan


class _Planner:
    def __init__(self, ens: Ensemble, reading: Reading, roles: dict[str, str],
                 bar: Fraction, extent: dict[str, tuple[Fraction, Fraction]]) -> None:
        self.ens, self.reading, self.roles, self.bar = ens, reading, roles, bar
        self.extent = extent
        self.deferred: list[tuple[str, tuple[Span, ...] | None, Ask, int]] = []
        self.plan = Plan()
        self.scale = reading.scale if reading.given else NO_BRIEF_SCALE
        self.named = reading.named()
        self.available = set(SCALE_FAMILIES.get(self.scale, ()))
        self.available |= {FAMILY.get(k, "") for k in self.named}
        self.whole: dict[str, Layer] = {}
        self.singer = reading.singer

    # -- chairs ---------------------------------------------------------------------------

    def staff_for(self, role: str) -> str | None:
        return next((s for s, r in self.roles.items() if r == role), None)

    def chairs(self, selector: str) -> list[Chair]:
        inst, _, number = selector.partition(":")
        key = get_instrument(inst).key
        own = [c for c in select_chairs(self.ens, selector)]
        if own:
            return own
        doubling = [c for c in self.ens.chairs_for(key, doubles=True) if c.instrument != key]
        if number:  # "flute:2" of a double: the n-th chair that plays it
            doubling = doubling[int(number) - 1:int(number)]
        return doubling[-1:]

    def allowed(self, chair: Chair, key: str) -> bool:
        if self.scale != "chamber":
            return True
        if chair.section == "strings":
            return True
        if chair.info.is_unpitched:
            first = next(c for c in self.ens.chairs if c.info.is_unpitched)
            return chair is first
        if chair.label in self.plan.plays:
            return True
        playing = sum(1 for c in self.ens.chairs if c.instrument == chair.instrument
                      and c.label in self.plan.plays)
        return playing < CHAMBER_CHAIRS.get(chair.instrument, 1)

    def free(self, chair: Chair, key: str, spans: tuple[Span, ...] | None,
             staff: str = "") -> bool:
        if not self.allowed(chair, key):
            return False
        plays = self.plan.plays.get(chair.label)
        if plays is not None and plays != key:
            return False  # one instrument per chair per cue
        if spans is None and chair.label in self.whole:
            held = self.whole[chair.label]
            if held.polyphonic and get_instrument(key).section in ("keyboards", "harp"):
                return True
            return all(self._apart(staff, lay.staff) for lay in self.plan.layers
                       if lay.chair == chair.label and lay.spans is None)
        return True

    def _apart(self, a: str, b: str) -> bool:
        """True when two staves never sound at once (a countermelody that begins in chords:
        one chair can play both)."""
        if not a or not b or a == b or a not in self.extent or b not in self.extent:
            return False
        (a0, a1), (b0, b1) = self.extent[a], self.extent[b]
        return a1 <= b0 or b1 <= a0

    def add(self, layer: Layer, claim: bool = True) -> Layer:
        if claim and layer.spans is None and layer.chair not in self.whole:
            self.whole[layer.chair] = layer
        self.plan.plays.setdefault(layer.chair, layer.instrument)
        self.plan.layers.append(layer)
        return layer

    def take(self, selector: str, spans: tuple[Span, ...] | None, staff: str = ""
             ) -> tuple[Chair, str] | None:
        """The first free chair for ``selector`` and the instrument it plays there."""
        inst = get_instrument(selector.partition(":")[0]).key
        for chair in self.chairs(selector):
            if self.free(chair, inst, spans, staff):
                self.plan.plays.setdefault(chair.label, inst)  # reserved for this job
                return chair, inst
        return None

    # -- asks -------------------------------------------------------------------------------

    def balance_for(self, lead: bool, family: str, staff: str) -> tuple[int, str]:
        """Dynamic steps of a job and why: the tune under a singer one step down, a lead
        line one step up, brass one step under the strings it doubles."""
        steps, why = 0, []
        if self.singer and self.roles.get(staff) == "melody":
            steps, why = BALANCE["under_singer"], ["the tune under the vocal line"]
        elif lead:
            steps, why = BALANCE["lead"], ["the lead line one step up"]
        if not lead and family in BRASS_FAMILIES and self._strings_on(staff):
            steps += BALANCE["brass_doubling_strings"]
            why.append("brass one step under the strings it doubles")
        return steps, "; ".join(why)

    def _strings_on(self, staff: str) -> bool:
        return any(lay.staff == staff and FAMILY.get(lay.instrument) == "strings"
                   for lay in self.plan.layers) or (
            "strings" in self.available and self.roles.get(staff) in ("melody", "harmony",
                                                                      "low"))

    def lead(self, key: str, spans, ask: Ask, priority: int) -> None:
        staff = self.staff_for("melody")
        if staff is None or key not in LEAD:
            return
        lines, harmonizers, ref, offset = LEAD[key]
        balance, why_b = self.balance_for(True, FAMILY.get(key, ""), staff)
        section: list[str] = []
        for selector in lines:
            got = self.take(selector, spans, staff)
            if got is None:
                continue
            chair, inst = got
            a2 = bool(section)
            self.add(Layer(chair.label, inst, staff, "line", ref=ref, offset=offset,
                           level=ask.register, spans=spans, balance=balance,
                           balance_why=why_b, kind="unison" if a2 else "lead",
                           why=(f"a2 with {section[0]} on the tune ({ask.words})" if a2 else
                                f"the tune ({ask.words})"), priority=priority))
            section.append(chair.label)
        if not section:
            return
        harm = [self.take(s, spans, staff) for s in harmonizers]
        harm_chairs = [h for h in harm if h is not None]
        full = (section[0], *[c.label for c, _ in harm_chairs])
        for i, (chair, inst) in enumerate(harm_chairs):
            self.add(Layer(chair.label, inst, staff, "harmonize", index=i, section=full,
                           ref=ref, offset=offset, level=ask.register, spans=spans,
                           balance=balance, balance_why=why_b, kind="distribute",
                           why=f"voice {i + 2} of {len(full)} in block harmony under "
                               f"{section[0]} ({ask.words})", priority=priority))

    def harmony(self, key: str, spans, ask_words: str, priority: int,
                articulation: str = "") -> None:
        staff = self.staff_for("harmony")
        if staff is None or key not in HARMONY:
            return
        selectors, ref, offset = HARMONY[key]
        below = STACK_BELOW.get(key, "")
        self.voices(staff, selectors, ref, offset, spans, f"the harmony ({ask_words})",
                    priority, FAMILY.get(key, ""), balance=BALANCE["pad"], below=below)

    def voices(self, staff: str, selectors: Sequence[str], ref: str, offset: int,
               spans, why: str, priority: int, family: str, balance: int = 0,
               double: bool = False, below: str = "") -> None:
        if tuple(selectors) == HORN_ORDER:
            selectors = self.horn_order(spans, staff)
        chairs = []
        for selector in selectors:
            got = self.take(selector, spans, staff)
            if got is not None and got[0].label not in [c.label for c, _ in chairs]:
                chairs.append(got)
        if not chairs:
            return
        extra, extra_why = self.balance_for(False, family, staff)
        steps = max(-2, balance + extra)
        reasons = "; ".join(r for r in ("a pad one step down" if balance else "", extra_why)
                            if r)
        section = tuple(c.label for c, _ in chairs)
        for i, (chair, inst) in enumerate(chairs):
            self.add(Layer(chair.label, inst, staff, "voice", index=i, section=section,
                           ref=ref, offset=offset, spans=spans, balance=steps,
                           balance_why=reasons, kind="double" if double else "distribute",
                           why=why, priority=priority, below=below))

    def horn_order(self, spans, staff: str) -> list[str]:
        """Free horns, the high ones (odd) above the low ones (even), at most four."""
        cap = CHAMBER_CHAIRS.get("horn", 4) if self.scale == "chamber" else 4
        horns = [c for c in self.ens.chairs_for("horn")
                 if self.free(c, "horn", spans, staff)][:cap]
        ordered = sorted(horns, key=lambda c: (c.number % 2 == 0, c.number))
        return [f"horn:{c.number}" for c in ordered]

    def bass(self, key: str, spans, words: str, priority: int) -> None:
        staff = self.staff_for("low")
        if staff is None:
            return
        for selector, ref, offset in BASS.get(key, ()):
            got = self.take(selector, spans, staff)
            if got is None:
                continue
            chair, inst = got
            balance, why_b = self.balance_for(False, FAMILY.get(key, ""), staff)
            self.add(Layer(chair.label, inst, staff, "bass", ref=ref, offset=offset,
                           spans=spans, balance=balance, balance_why=why_b, kind="colour",
                           why=f"the bass line ({words})", priority=priority))

    def timpani(self, spans, lead: bool, words: str, priority: int) -> None:
        staff = self.staff_for("low") or self.staff_for("harmony") or \
            self.staff_for("melody")
        got = self.take("timpani", spans, staff or "")
        if staff is None or got is None:
            return
        chair, inst = got
        self.add(Layer(chair.label, inst, staff, "timpani", spans=spans, lead=lead,
                       kind="colour", why=(f"the bass line's tonics and dominants, rolls "
                                           f"on the long ones, and the hits ({words})" if lead
                                           else f"tonic or dominant on the hits ({words})"),
                       priority=priority))

    def figure(self, figure: str, keys: Sequence[str], spans, words: str,
               priority: int) -> None:
        staff = self.staff_for("harmony") or self.staff_for("countermelody") or \
            self.staff_for("melody")
        if staff is None:
            return
        if figure == "gallop":
            low = self.staff_for("low")
            if low is not None and self.staff_for("harmony") is not None:
                name = f"{self.staff_for('harmony')} (galloping)"
                self.plan.derived[name] = ("rhythm", self.staff_for("harmony"), low)
                self.roles[name] = "harmony"
                self.voices(name, ("violin:2", "viola"), "viola", 0, spans,
                            f"the harmony in the bass's galloping rhythm ({words})",
                            priority, "strings", balance=BALANCE["pad"])
            return
        top = self.staff_for("melody") or staff
        for selector, semis in FIGURE_CHAIRS.get(figure, ()):
            inst = get_instrument(selector.partition(":")[0]).key
            if inst not in keys and not (set(keys) & {"flute", "clarinet_bb"} and
                                         FAMILY.get(inst) == "woodwinds"):
                continue
            got = self.take(selector, spans, staff)
            if got is None:
                continue
            chair, inst = got
            self.add(Layer(chair.label, inst, top if figure == "runs" else staff, figure,
                           offset=semis, spans=spans, kind="colour", priority=3,
                           why=(f"a rising arpeggio into each hit ({words}): a glissando "
                                f"cannot be written in our marks model" if figure ==
                                "arpeggio" else f"scale runs into the hits ({words})")),
                     claim=False)

    def usual(self, key: str, spans, ask: Ask, priority: int) -> None:
        job = USUAL.get(key, "")
        if job == "melody":
            self.lead(key, spans, replace(ask, register=ask.register), priority)
        elif job == "harmony":
            self.harmony(key, spans, ask.words, priority)
        elif job == "low":
            self.bass(key, spans, ask.words, priority)
        elif job == "timpani":
            self.timpani(spans, False, ask.words, priority)
        elif job.startswith("figure:"):
            self.figure(job.partition(":")[2], (key,), spans, ask.words, priority)
        elif job == "colour":
            self.colour(key, spans, ask, priority)

    def colour(self, key: str, spans, ask: Ask, priority: int) -> None:
        """A keyboard named alone (a music box's celesta): the tune and the harmony; in a
        tutti, the tune an octave up."""
        self.lead(key, spans, ask, priority)
        if self.scale == "" and key in LEAD:
            staff = self.staff_for("harmony") or self.staff_for("countermelody")
            got = self.take(key, spans, staff or "")
            if staff is not None and got is not None:
                self.add(Layer(got[0].label, got[1], staff, "chord", ref=key, spans=spans,
                               balance=BALANCE["pad"], balance_why="a pad one step down",
                               kind="colour", why=f"the harmony ({ask.words})",
                               priority=priority))

    def ask(self, ask: Ask) -> None:
        spans, found = None, ""
        if ask.subject:
            got, found = subject_spans(self.reading.points, ask.subject, self.bar)
            spans = None if got == ((Fraction(0), None),) else got
        priority = 2 if spans is not None else 1
        modifiers = ask.articulation or ask.technique or ask.slurred or ask.register
        role = ask.role
        percussion = all(get_instrument(k).is_unpitched for k in ask.instruments)
        if not role and ask.subject and not percussion and (ask.featured or not modifiers):
            role = "lead"
        if ask.subject and found:
            self.plan.event("colour", "", "", f"'{ask.words}' for {ask.subject}: {found}",
                            spans[0][0] if spans else Fraction(0))
        if modifiers and role not in ("lead",):
            self.plan.modifiers.append(Modifier(ask.instruments, spans, ask.articulation,
                                                ask.technique, ask.slurred, ask.words))
            if not role:
                return
        keys = ask.instruments
        if role == "lead" and spans is not None and ask.subject.lower() not in \
                GENERIC_SUBJECTS:
            self.plan.tune += list(spans)  # the subject's own colour: the others yield
        if role == "lead":
            leads = FAMILY_LEADS.get(tuple(keys), keys)
            if ask.register == "high":  # only instruments with a top register to shriek in
                leads = tuple(k for k in leads if k not in ("bassoon", "contrabassoon"))
            for key in leads:
                if key == "timpani":
                    self.timpani(spans, True, ask.words, priority)
                else:
                    self.lead(key, spans, ask, priority)
            for key in keys:
                if key not in leads and spans is None:
                    self.deferred.append((key, spans, ask, priority))
        elif role in ("bass", "pedal"):
            for key in keys:
                self.bass(key, spans, ask.words, priority)
        elif role == "harmony":
            for key in keys:
                self.harmony(key, spans, ask.words, priority)
        elif role.startswith("figure:"):
            self.figure(role.partition(":")[2], keys, spans, ask.words, priority)
        elif role == "percussion" or percussion:
            return  # the sketch's percussion staff carries them (checked after rendering)
        else:
            for key in keys:
                self.usual(key, spans, ask, priority)

    # -- the book ---------------------------------------------------------------------------

    def book(self, doubles: bool) -> None:
        """The book's layers for the role staves: its primary layers, or its doublings."""
        if not doubles:
            for key, spans, ask, priority in self.deferred:
                self.usual(key, spans, ask, priority)
        table = BOOK.get(self.ens.name, BOOK["*"])
        leads = {lay.instrument for lay in self.plan.layers
                 if lay.kind in ("lead", "unison") and lay.spans is None}
        solo = sorted(leads - set(TUTTI_LEADS))
        if solo and not doubles:
            names = " and ".join(get_instrument(k).name.lower() for k in solo)
            self.plan.event("lead", "", self.staff_for("melody") or "",
                            f"the tune belongs to the {names}: the book's doublings of the "
                            f"melody (violins, flute, oboe) are left out")
        for role in ("melody", "harmony", "low", "countermelody"):
            for staff, staff_role in list(self.roles.items()):
                if staff_role != role or staff in self.plan.derived:
                    continue
                if role == "melody" and solo:
                    continue
                for layer in table.get(role, BOOK["*"].get(role, ())):
                    if layer.double == doubles and layer.family in self.available:
                        self.book_layer(staff, layer)

    def book_layer(self, staff: str, layer: BookLayer) -> None:
        keys = {get_instrument(s.partition(":")[0]).key for s in layer.selectors}
        if any(lay.staff == staff and lay.instrument in keys and lay.priority
               for lay in self.plan.layers):
            return  # the notes' asks already put this instrument on the staff
        if layer.how == "timpani":
            if not any(lay.how == "timpani" for lay in self.plan.layers):
                self.timpani(None, False, "the book", 0)
            return
        if layer.how in ("voice", "chord"):
            self.voices(staff, layer.selectors, layer.ref, layer.offset, None, layer.why, 0,
                        layer.family, balance=layer.balance, double=layer.double)
            return
        taken = [self.take(s, None, staff) for s in layer.selectors]
        chairs = [t for t in taken if t is not None]
        if not chairs:
            return
        family = FAMILY.get(chairs[0][1], "")
        balance, why_b = self.balance_for(False, family, staff)
        choose = tuple(c.label for c, _ in chairs) if layer.choose else ()
        for chair, inst in (chairs if layer.choose else chairs[:1]):
            self.add(Layer(chair.label, inst, staff, layer.how, ref=layer.ref,
                           offset=layer.offset, balance=balance + layer.balance,
                           balance_why=why_b, kind="double" if layer.double else "distribute",
                           why=layer.why, choose=choose))


def _section_layers(p: _Planner, staff: str, group: str) -> None:
    """A staff named for a section ("Brass", "Strings", "Oboes"): each instrument of its
    chairs voices the chords in its own register, chair 1 on top."""
    chairs = list(group_chairs(p.ens, group))
    if not chairs:
        has = sorted({g for g in ROLES} | {"brass", "strings", "woodwinds", "horns"})
        raise InputError(f"staff {staff}: ensemble {p.ens.name} has no chairs for group "
                         f"{group}", field="staff", value=staff,
                         valid="staves of the groups " + ", ".join(has))
    free = [c for c in chairs if c.label not in p.whole] or chairs
    if free is chairs and any(c.label in p.whole for c in chairs):
        p.plan.event("distribute", chairs[0].label, staff,
                     f"every chair of group {group} is taken by an earlier staff; {staff} "
                     f"shares them")
    by_family: dict[str, list[Chair]] = {}
    if all(c.divisible for c in free):  # strings or voices: one section, dividing
        by_family["section"] = free
        free = []
    for chair in free:
        by_family.setdefault(SECTION_OF.get(chair.instrument, chair.instrument),
                             []).append(chair)
    families = list(by_family.items())
    for n, (family, members) in enumerate(families):
        if family == "horn" and len(members) > 2:
            members = sorted(members[:4], key=lambda c: (c.number % 2 == 0, c.number))
        section = tuple(c.label for c in members)
        lowest = n == len(families) - 1 and n > 0
        above = {c.instrument for _, ms in families[:n] for c in ms}
        below = STACK_BELOW.get(members[0].instrument, "")
        for i, chair in enumerate(members):
            p.add(Layer(chair.label, chair.instrument, staff, "voice", index=i,
                        section=section, ref=members[len(members) // 2].instrument,
                        from_bottom=lowest, below=below if below in above else "",
                        why=f"voice {i + 1} of {len(section)} of the {staff} staff's chords "
                            f"({_section_name(family)}, top chair on top)"))


def _section_name(family: str) -> str:
    if family == "section":
        return "the section"
    return f"the {get_instrument(family).name.lower()}s"


def plan(staves: Sequence[tuple[str, str]], ens: Ensemble, reading: Reading,
         doublings: Mapping[str, Sequence[tuple[str, int]]] | None, bar: Fraction,
         explicit: list[tuple[str, Chair, str, int]],
         extent: dict[str, tuple[Fraction, Fraction]]) -> Plan:
    """The layers of an orchestration (see the module docstring).  ``staves`` are (staff
    name, group); ``explicit`` the doublings resolved by the caller; ``extent`` each
    staff's first onset and last end."""
    roles = {name: ROLES[g] for name, g in staves if g in ROLES}
    p = _Planner(ens, reading, roles, bar, extent)
    for name, group in staves:  # staves named for an instrument claim their chairs first
        if group.startswith(INSTRUMENT_GROUP):
            _section_layers(p, name, group)
    for ask in reading.asks:
        p.ask(ask)
    for key, clause in reading.missing:
        p.plan.event("missing", "", "", f"'{key}' ({clause}): no chair of the {ens.name} "
                                        f"ensemble plays it; its colour is left out (book a "
                                        f"player, or give it to a chair by hand)")
    p.book(doubles=False)
    for name, group in staves:  # then staves named for a section, with the chairs left
        if group not in ROLES and not group.startswith(INSTRUMENT_GROUP):
            _section_layers(p, name, group)
    if doublings is None:
        p.book(doubles=True)
    for staff, chair, inst, semitones in explicit:
        p.plan.plays.setdefault(chair.label, inst)
        p.add(Layer(chair.label, inst, staff, "line", offset=semitones, fixed=True,
                    kind="double", why=f"doubles the top line of {staff} "
                                       f"{_interval(semitones)}", priority=1))
    _chamber_players(p)
    if reading.reduction is not None:
        _reduction(p, reading)
    for name, _group in staves:
        if not any(lay.staff == name or p.plan.derived.get(lay.staff, ("", ""))[1] == name
                   for lay in p.plan.layers):
            who = ", ".join(a.words for a in reading.asks) or "nothing"
            p.plan.event("tacet", "", name, f"nobody plays the {name} staff: the notes name "
                                            f"{who}, and no chair of theirs suits it")
    return p.plan


def _interval(semitones: int) -> str:
    if semitones == 0:
        return "at the unison"
    size = "an octave" if abs(semitones) == 12 else "two octaves"
    return f"{size} {'above' if semitones > 0 else 'below'}"


def _chamber_players(p: _Planner) -> None:
    if p.scale != "chamber":
        return
    for label, players in CHAMBER_STRINGS.items():
        if p.ens.has_chair(label) and any(lay.chair == p.ens.chair(label).label
                                          for lay in p.plan.layers):
            chair = p.ens.chair(label)
            p.plan.players[chair.label] = min(players, chair.players)


def _reduction(p: _Planner, reading: Reading) -> None:
    keys, subject, clause = reading.reduction
    spans, _found = subject_spans(reading.points, subject, p.bar) if subject else ((), "")
    starts = [a for a, _ in spans if a > 0]
    if not starts:
        p.plan.event("missing", "", "", f"'{clause}': no sync point says where; not done")
        return
    at = starts[0]
    p.plan.reduction = (at, keys)
    cut: list[Layer] = []
    for layer in p.plan.layers:
        if layer.instrument in keys:
            cut.append(layer)
            continue
        before = ((Fraction(-10**6), at),) if layer.spans is None else tuple(
            (a, at if b is None or b > at else b) for a, b in layer.spans if a < at)
        if before:
            cut.append(replace(layer, spans=before))
    p.plan.layers = cut
    p.plan.event("reduction", "", "", f"'{clause}': from here only the "
                                      f"{', '.join(sorted({FAMILY.get(k, k) for k in keys}))}"
                                      f" play, one step down", at)


def normalise(name: str) -> str:
    return normalise_staff_name(name)
