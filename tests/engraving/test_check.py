"""The engraving check (engraving.check), rule by rule, on small MusicXML written in code:
a clean part and score with no finding, and a document breaking each rule."""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

import pytest

from filmscore.engraving.check import (
    RULES,
    CheckOptions,
    check_files,
    check_folder,
    check_musicxml,
)
from filmscore.errors import InputError, ParseError

NO_LAYOUT = CheckOptions(layout=False)


# --- small MusicXML documents -------------------------------------------------------
# Small MusicXML documents written in code for the engraving check's tests.
#
# ``doc(part(...), ...)`` is a partwise score; ``part(name, bars, ...)`` a part whose bars
# are lists of ``note(...)``, ``rest(...)``, ``words(...)``, ``rehearsal(...)`` XML snippets;
# durations and offsets are in sixteenths (written at 12 divisions per quarter, so that a
# note may give ``divs`` of its own: a triplet eighth is 4).

DIV = 12
TYPES = {16: "whole", 12: "half", 8: "half", 6: "quarter", 4: "quarter", 3: "eighth",
         2: "eighth", 1: "16th", 24: "whole"}
DOTTED = {12, 6, 3, 24}


def note(pitch: str, dur: int = 4, *, acc: str | None = None, tie: str | None = None,
         staff: int | None = None, voice: int = 1, tuplet: str | None = None,
         kind: str | None = None, chord: bool = False, divs: int | None = None) -> str:
    """A note: ``pitch`` like "C5", "F#4", "Bb3" (the sounding alteration; ``acc`` is the
    accidental shown), ``dur`` in sixteenths."""
    step, rest = pitch[0], pitch[1:]
    alter = rest.count("#") - rest.count("b")
    octave = rest.strip("#b")
    xml = ["<note>", "<chord/>" if chord else "", f"<pitch><step>{step}</step>",
           f"<alter>{alter}</alter>" if alter else "",
           f"<octave>{octave}</octave></pitch>"
           f"<duration>{divs if divs is not None else dur * 3}</duration>"]
    if tie:
        xml += [f'<tie type="{t}"/>' for t in tie.split(",")]
    xml.append(f"<voice>{voice}</voice><type>{kind or TYPES[dur]}</type>")
    if dur in DOTTED and kind is None and divs is None:
        xml.append("<dot/>")
    if acc:
        xml.append(f"<accidental>{acc}</accidental>")
    if tuplet:
        xml.append("<time-modification><actual-notes>3</actual-notes>"
                   "<normal-notes>2</normal-notes></time-modification>")
    if staff:
        xml.append(f"<staff>{staff}</staff>")
    notations = []
    if tie:
        notations += [f'<tied type="{t}"/>' for t in tie.split(",")]
    if tuplet:
        notations.append(f'<tuplet type="{tuplet}"/>')
    if notations:
        xml.append("<notations>" + "".join(notations) + "</notations>")
    xml.append("</note>")
    return "".join(xml)


def rest(dur: int = 4, *, measure: bool = False, kind: str | None = None, voice: int = 1,
         dots: int | None = None) -> str:
    flag = ' measure="yes"' if measure else ""
    xml = f"<note><rest{flag}/><duration>{dur * 3}</duration>"
    xml += f"<voice>{voice}</voice>"
    if not measure:
        xml += f"<type>{kind or TYPES[dur]}</type>"
        if (dots is None and dur in DOTTED and kind is None) or dots:
            xml += "<dot/>"
    return xml + "</note>"


def words(text: str, *, offset: int | None = None) -> str:
    off = f"<offset>{offset * 3}</offset>" if offset is not None else ""
    return (f'<direction placement="above"><direction-type><words font-size="9">'
            f"{escape(text)}</words></direction-type>{off}</direction>")


def rehearsal(letter: str) -> str:
    return ('<direction placement="above"><direction-type><rehearsal enclosure="square" '
            f'font-weight="bold" font-size="14">{letter}</rehearsal></direction-type>'
            "</direction>")


def metronome(bpm: int = 100) -> str:
    return ('<direction placement="above"><direction-type><metronome><beat-unit>quarter'
            f"</beat-unit><per-minute>{bpm}</per-minute></metronome></direction-type>"
            f'<sound tempo="{bpm}"/></direction>')


def part(name: str, bars: list[list[str]], *, fifths: int = -1, time: str = "4/4",
         final: bool = True, clef: str = "G2", keys: dict[int, int] | None = None,
         times: dict[int, str] | None = None) -> tuple[str, str]:
    beats, beat_type = time.split("/")
    out = []
    for i, content in enumerate(bars):
        attrs = ""
        if i == 0:
            attrs = (f"<attributes><divisions>{DIV}</divisions><key><fifths>{fifths}</fifths>"
                     f"</key><time><beats>{beats}</beats><beat-type>{beat_type}</beat-type>"
                     f"</time><clef><sign>{clef[0]}</sign><line>{clef[1]}</line></clef>"
                     "</attributes>")
        elif (keys and i in keys) or (times and i in times):
            inner = ""
            if keys and i in keys:
                inner += f"<key><fifths>{keys[i]}</fifths></key>"
            if times and i in times:
                b, t = times[i].split("/")
                inner += f"<time><beats>{b}</beats><beat-type>{t}</beat-type></time>"
            attrs = f"<attributes>{inner}</attributes>"
        end = ('<barline location="right"><bar-style>light-heavy</bar-style></barline>'
               if final and i == len(bars) - 1 else "")
        out.append(f'<measure number="{i + 1}">{attrs}{"".join(content)}{end}</measure>')
    return name, "".join(out)


def doc(*parts: tuple[str, str], title: str = "Check") -> bytes:
    head = ['<?xml version="1.0" encoding="UTF-8"?>', '<score-partwise version="4.0">',
            f"<work><work-title>{title}</work-title></work><part-list>"]
    body = []
    for i, (name, measures) in enumerate(parts):
        head.append(f'<score-part id="P{i + 1}"><part-name>{escape(name)}</part-name>'
                    "</score-part>")
        body.append(f'<part id="P{i + 1}">{measures}</part>')
    return ("".join(head) + "</part-list>" + "".join(body) + "</score-partwise>").encode()


def clean_bars() -> list[list[str]]:
    """Four bars of F major that follow every rule (a courtesy accidental included)."""
    return [
        [rehearsal("A"), metronome(), words("01:00:01:00"), note("F4"), note("A4"),
         note("C#5", acc="sharp"), note("D5")],
        [words("01:00:03:12"), note("C5", acc="natural"), note("Bb4"), rest(8)],
        [rest(6), note("E4", 2), note("F4", 8)],
        [note("A4", 8), rest(4), rest(4)],
    ]


def found(data: bytes, rule: str, options: CheckOptions | None = None) -> list[str]:
    """The messages of ``rule``'s findings, each prefixed with its bar."""
    report = check_musicxml(data, options=options)
    return [f"{f.bar}: {f.message}" for f in report.of_rule(rule)]


def only(data: bytes, rule: str, options: CheckOptions | None = None) -> list[str]:
    """Like found(), asserting that no other rule found anything."""
    report = check_musicxml(data, options=options)
    others = {r: n for r, n in report.counts.items() if n and r != rule}
    assert not others, (others, [f.line() for f in report.findings])
    return [f"{f.bar}: {f.message}" for f in report.of_rule(rule)]


# --- clean ---------------------------------------------------------------------------


def test_a_clean_part_and_score_have_no_finding():
    report = check_musicxml(doc(part("Flute", clean_bars())))
    assert report.ok, [f.line() for f in report.findings]
    assert report.documents[0].kind == "part" and report.documents[0].pages == 1
    assert set(report.counts) == set(RULES) - {"tuplets"}
    assert all(n == 0 for n in report.counts.values())
    oboe = [[b for b in bar if "rehearsal" not in b] for bar in clean_bars()]
    score = check_musicxml(doc(part("Flute", clean_bars()), part("Oboe", oboe)))
    assert score.ok, [f.line() for f in score.findings]
    assert score.documents[0].kind == "score"
    assert "no findings" in score.summary()[-1]


# --- accidentals ---------------------------------------------------------------------


def test_redundant_accidentals_are_flagged_and_say_why():
    bars = [[note("E5", acc="natural"), note("F#4", acc="sharp"), note("F#4", acc="sharp"),
             note("Bb4", acc="flat")],
            [note("A#4", 8, tie="start", acc="sharp"), note("A#4", 8, tie="stop", acc="sharp")]]
    messages = only(doc(part("Flute", bars)), "redundant_accidental", NO_LAYOUT)
    assert messages == [
        "1: \u266e on E5: nothing alters it (key signature, bar)",
        "1: \u266f on F\u266f4: an earlier accidental in the bar already gives it",
        "1: \u266d on B\u266d4: the key signature already gives it",
        "2: \u266f restated on the tied A\u266f4 inside the bar"]


def test_courtesy_accidentals_are_not_flagged():
    bars = [
        [note("F#4", acc="sharp"), note("G4"), note("A4"), note("B4", acc="natural")],
        # the bar before had F# and B natural; F#5 then F natural in another octave
        [note("F4", acc="natural"), note("Bb4", acc="flat"), note("F#5", acc="sharp"),
         note("F4", acc="natural")],
        [rest(16, measure=True)],
        [note("C#5", acc="sharp"), rest(4), rest(8)],
        [rest(16, measure=True)],
        [rest(16, measure=True)],
        # C# three bars back, but the last C the player read was C#
        [note("C5", acc="natural"), note("D5"), rest(8)],
        # a tie carries G#4 over the barline, and the G after it gets a courtesy natural
        [note("G#4", 16, tie="start", acc="sharp")],
        [note("G#4", 8, tie="stop"), note("G4", 8, acc="natural")],
    ]
    data = doc(part("Flute", bars))
    assert found(data, "redundant_accidental", NO_LAYOUT) == []
    assert found(data, "missing_accidental", NO_LAYOUT) == []
    # without the context the same signs are redundant
    alone = [[rest(16, measure=True)], [rest(16, measure=True)], [rest(16, measure=True)],
             [note("C5", acc="natural"), note("D5"), rest(8)]]
    assert found(doc(part("Flute", alone)), "redundant_accidental", NO_LAYOUT) == [
        "4: \u266e on C5: nothing alters it (key signature, bar)"]


def test_a_tie_over_the_barline_prints_its_sign_or_holds_for_one_note():
    # Beach Op. 32/ii, double bass bar 107: the tied C#3 prints a cautionary sharp,
    # which covers the C#3 after it; unprinted, the tie covers the tied note only
    printed = [[rest(12), note("C#3", 4, tie="start", acc="sharp")],
               [note("C#3", 4, tie="stop", acc="sharp"), note("C#3"), rest(8)]]
    assert found(doc(part("Bass", printed, clef="F4")), "missing_accidental",
                 NO_LAYOUT) == []
    unprinted = [[rest(12), note("C#3", 4, tie="start", acc="sharp")],
                 [note("C#3", 4, tie="stop"), note("C#3"), rest(8)]]
    assert found(doc(part("Bass", unprinted, clef="F4")), "missing_accidental",
                 NO_LAYOUT) == ["2: C\u266f3 shows no accidental; the key gives C3"]


def test_an_enharmonic_spelling_makes_a_natural_a_courtesy():
    # Beach Op. 32/ii, violin 2 bars 171-172: F flat, then E natural
    bars = [[note("Fb5", 8, acc="flat"), rest(8)], [note("E5", 8, acc="natural"), rest(8)]]
    assert found(doc(part("Violin", bars)), "redundant_accidental", NO_LAYOUT) == []
    plain = [[note("F5", 8), rest(8)], [note("E5", 8, acc="natural"), rest(8)]]
    assert len(found(doc(part("Violin", plain)), "redundant_accidental", NO_LAYOUT)) == 1


def test_a_key_change_makes_its_cancellations_courtesies():
    bars = [[note("G5"), note("A5"), rest(8)],
            [note("F5", acc="natural"), note("B4"), rest(8)],
            [note("Bb4", acc="flat"), rest(12)]]
    # G major, then C major from bar 2: its F natural reminds of the F# just cancelled (a
    # courtesy); bar 3's flat on B is needed
    data = doc(part("Flute", bars, fifths=1, keys={1: 0}))
    assert found(data, "redundant_accidental", NO_LAYOUT) == []
    assert found(data, "missing_accidental", NO_LAYOUT) == []


def test_missing_and_contradicting_accidentals():
    bars = [[note("F#4"), note("C5", acc="sharp"), note("C#5", acc="sharp"), note("C5")]]
    messages = only(doc(part("Flute", bars)), "missing_accidental", NO_LAYOUT)
    assert messages == ["1: F\u266f4 shows no accidental; the key gives F4",
                        "1: C5 shows \u266f, which contradicts it",
                        "1: C5 shows no accidental; the bar gives C\u266f5"]


def test_accidentals_hold_per_staff_of_a_piano_part():
    bars = [[note("F#4", acc="sharp", staff=1), note("F#4", staff=1), rest(8)]]
    name, measures = part("Piano", bars)
    measures = measures.replace("<clef>", "<staves>2</staves><clef>", 1)
    # the same F on staff 2 has no accidental: it reads F natural, a missing sharp
    measures = measures.replace("</measure>", "<backup><duration>16</duration></backup>"
                                + note("F#3", 16, staff=2) + "</measure>")
    messages = found(doc((name, measures)), "missing_accidental", NO_LAYOUT)
    assert messages == ["1: F\u266f3 shows no accidental; the key gives F3"]


# --- marks per bar -------------------------------------------------------------------


def test_two_rehearsal_marks_on_a_bar_are_flagged_and_stacked():
    bars = clean_bars()
    bars[2] = [rehearsal("B"), rehearsal("C")] + bars[2]
    # plain verovio stacks the two letters; our own engraving sets them side by side
    report = check_musicxml(doc(part("Flute", bars)),
                            options=CheckOptions(letters_every=0, engraver="verovio"))
    assert [f.message for f in report.of_rule("rehearsal_per_bar")] == \
        ["2 rehearsal marks on one bar: B, C"]
    stacked = report.of_rule("stacked_rehearsal")
    assert [(f.bar, f.page) for f in stacked] == [("3", 1)]
    assert "B, C" in stacked[0].message or "C, B" in stacked[0].message
    assert {r for r, n in report.counts.items() if n} == {"rehearsal_per_bar",
                                                          "stacked_rehearsal"}


def test_rehearsal_marks_closer_than_asked_are_flagged():
    bars = clean_bars()
    bars[2] = [rehearsal("B")] + bars[2]
    data = doc(part("Flute", bars))
    assert found(data, "rehearsal_spacing") == [
        "3: rehearsal mark B comes 2 bars after A (bar 1); at least 8 bars apart"]
    assert found(data, "rehearsal_spacing", CheckOptions(letters_every=2)) == []


def test_crowded_bars_count_texts_but_not_tempo_notes_or_short_playing_texts():
    bars = clean_bars()
    bars[1] = [words("01:00:03:00"), words("01:00:03:12", offset=4),
               words("01:00:04:01", offset=8)] + bars[1][1:]
    messages = found(doc(part("Flute", bars)), "crowded_bar", NO_LAYOUT)
    assert messages == ["2: 3 texts in one bar, more than 2: '01:00:03:00', '01:00:03:12', "
                        "'01:00:04:01'"]
    assert found(doc(part("Flute", bars)), "crowded_bar",
                 CheckOptions(max_texts=3, layout=False)) == []
    quiet = clean_bars()
    quiet[0] = [rehearsal("A"), words("(13-7 fc)"), metronome(), words("01:00:01:00"),
                words("a 2"), words("ten.", offset=8)] + quiet[0][3:]
    assert found(doc(part("Flute", quiet)), "crowded_bar", NO_LAYOUT) == []


def test_a_missing_final_barline_is_flagged_once_for_a_score():
    assert only(doc(part("Flute", clean_bars(), final=False)), "final_barline") == [
        "4: the last bar ends with a regular barline, not a final barline"]
    oboe = [[b for b in bar if "rehearsal" not in b] for bar in clean_bars()]
    report = check_musicxml(doc(part("Flute", clean_bars(), final=False),
                                part("Oboe", oboe, final=False)), options=NO_LAYOUT)
    assert [(f.part, f.bar) for f in report.of_rule("final_barline")] == [("all parts", "4")]


# --- layout: overlaps, page edge, bar numbers ------------------------------------------


def test_marks_printed_over_each_other_are_flagged_in_millimetres():
    # verovio does not keep the bar numbers of a score clear of a long tempo mark
    tempo = ('<direction placement="above"><direction-type><words font-weight="bold">'
             "Allegro molto e vivace</words></direction-type><direction-type><metronome>"
             "<beat-unit>quarter</beat-unit><per-minute>108</per-minute></metronome>"
             '</direction-type><sound tempo="108"/></direction>')
    bars = [[tempo, rest(16, measure=True)]] + [[rest(16, measure=True)]] * 6
    report = check_musicxml(doc(part("Flute", bars), part("Oboe", bars)))
    overlaps = report.of_rule("overlapping_marks")
    assert [f.bar for f in overlaps] == ["1", "1"], [f.line() for f in report.findings]
    for number, finding in zip(("2", "3"), overlaps, strict=True):
        match = re.fullmatch(r"tempo mark 'Allegro molto e vivace = 108' \(bar 1\) and bar "
                             rf"number '{number}' \(bar {number}\) print over each other "
                             r"\(([\d.]+) x ([\d.]+) mm\)", finding.message)
        assert match and float(match.group(1)) > 0.5 and float(match.group(2)) > 0.5
        assert finding.page == 1 and finding.part == "Flute"
    assert {r for r, n in report.counts.items() if n} == {"overlapping_marks"}


def test_a_text_past_the_paper_edge_is_flagged():
    # a long text near the end of the bar that ends a (justified) system
    bars = [[note("A4", 2)] * 8 for _ in range(12)]
    bars[7] = [words("01:00:30:00 Cut: back to the courtyard, wide", offset=14)] + bars[7]
    messages = only(doc(part("Flute", bars)), "mark_off_page")
    assert len(messages) == 1 and messages[0].startswith("8: text '01:00:30:00 Cut")
    assert re.search(r"runs [\d.]+ mm past the edge of the paper", messages[0])


def test_bar_numbers_missing_at_system_starts_of_a_part():
    # verovio leaves out the bar number of a bar with a rehearsal mark: a letter on every
    # bar leaves every system start of a long part unnumbered
    bars = [[rehearsal(f"L{i}")] + [note("A4", 2)] * 8 for i in range(40)]
    report = check_musicxml(doc(part("Flute", bars)),
                            options=CheckOptions(letters_every=0, engraver="verovio"))
    missing = report.of_rule("missing_bar_number")
    assert len(missing) >= 2
    assert all("the system starting at bar" in f.message for f in missing)
    assert "1" not in {f.bar for f in missing}  # the piece's first bar is exempt
    plain = [[note("A4", 2)] * 8 for _ in range(40)]
    assert found(doc(part("Flute", plain)), "missing_bar_number") == []
    # our engraving numbers every system start, lettered or not
    ours = check_musicxml(doc(part("Flute", bars)), options=CheckOptions(letters_every=0))
    assert ours.of_rule("missing_bar_number") == []


def test_every_bar_of_a_score_needs_its_number():
    flute = clean_bars()
    flute[2] = [rehearsal("B")] + flute[2]
    oboe = [[b for b in bar if "rehearsal" not in b] for bar in clean_bars()]
    report = check_musicxml(doc(part("Flute", flute), part("Oboe", oboe)),
                            options=CheckOptions(letters_every=0, engraver="verovio"))
    assert [(f.bar, f.message) for f in report.of_rule("missing_bar_number")] == [
        ("3", "bar 3 shows no bar number")]
    ours = check_musicxml(doc(part("Flute", flute), part("Oboe", oboe)),
                          options=CheckOptions(letters_every=0))
    assert ours.of_rule("missing_bar_number") == []
    # the same document as a part: bar 3 starts no system, so nothing is missing
    as_part = check_musicxml(doc(part("Flute", flute)),
                             options=CheckOptions(letters_every=0, kind="part"))
    assert as_part.of_rule("missing_bar_number") == []


# --- rests and tuplets ---------------------------------------------------------------


@pytest.mark.parametrize(("time", "content", "message"), [
    ("4/4", [note("C5"), rest(6), note("C5", 2), note("C5")],
     "a dotted quarter rest on beat 2 hides beat 3 (the middle of the bar) (4/4)"),
    ("4/4", [note("C5"), rest(8), note("C5")],
     "a half rest on beat 2 hides beat 3 (the middle of the bar) (4/4)"),
    ("4/4", [note("C5", 2), rest(6), note("C5", 8)],
     "a dotted quarter rest on beat 1.5 starts off the beat and hides beat 2 (4/4)"),
    ("4/4", [note("C5", 1), rest(2), note("C5", 1), note("C5", 12)],
     "an eighth rest on beat 1.25 hides the half-beat: write it as two rests (4/4)"),
    ("3/4", [rest(12)], "a whole bar's rest written as a dotted half rest: use a whole-bar "
     "rest (3/4)"),
    ("3/4", [note("C5"), rest(8)],
     "a half rest on beat 2 hides beat 3 (one rest may join beats 1-2, not 2-3) (3/4)"),
    ("6/8", [note("C5", 2), rest(4), note("C5", 6)],
     "a quarter rest on eighth 2 hides the third of the beat: write it as two rests (6/8)"),
    ("6/8", [rest(8), note("C5", 4)],
     "a half rest on eighth 1 ends inside a beat: in compound time a rest over a beat "
     "covers whole beats (6/8)"),
])
def test_rests_that_hide_a_beat_are_flagged(time, content, message):
    data = doc(part("Flute", [content], time=time, fifths=0))
    messages = only(data, "rest_grouping", NO_LAYOUT)
    assert messages == [f"1: {message}"]


@pytest.mark.parametrize(("time", "content"), [
    ("4/4", [note("C5"), note("C5"), rest(8)]),  # half rest on beat 3
    ("4/4", [rest(8), note("C5"), note("C5")]),  # half rest on beat 1
    ("4/4", [rest(6), note("C5", 2), rest(8)]),  # dotted quarter on beat 1
    ("4/4", [note("C5", 1), rest(1), rest(2), rest(4), rest(8)]),  # half-beats shown
    ("4/4", [rest(16, measure=True)]),
    ("4/4", [rest(16)]),  # a whole rest
    ("3/4", [rest(8), note("C5")]),  # half rest on beats 1-2
    ("6/8", [rest(4), note("C5", 2), rest(6)]),  # quarter on eighth 1, dotted quarter
    ("12/8", [rest(12), note("C5", 6), rest(6)]),  # dotted half on beats 1-2
    ("2/4", [rest(6), note("C5", 2)]),  # dotted quarter on beat 1 of 2/4
])
def test_rests_grouped_by_the_meter_pass(time, content):
    data = doc(part("Flute", [content], time=time, fifths=0))
    assert found(data, "rest_grouping", NO_LAYOUT) == []


def test_an_upbeat_bar_is_measured_from_where_the_full_bar_starts():
    # a quarter-note upbeat: its rest-free; the next bar's rests are measured normally
    bars = [[note("C5")], [note("C5"), rest(4), rest(8)]]
    data = doc(part("Flute", bars, fifths=0))
    assert found(data, "rest_grouping", NO_LAYOUT) == []
    upbeat = [[rest(2), note("C5", 2)], [rest(16, measure=True)]]  # rest on beat 4
    assert found(doc(part("Flute", upbeat, fifths=0)), "rest_grouping", NO_LAYOUT) == []


def test_tuplets_are_counted_and_findings_only_when_asked():
    bars = clean_bars()
    bars[3] = [note("A4", 8), rest(4), note("C5", 2, tuplet="start", divs=4),
               note("D5", 2, divs=4, tuplet="continue"), note("E5", 2, tuplet="stop", divs=4)]
    data = doc(part("Flute", bars))
    report = check_musicxml(data, options=NO_LAYOUT)
    assert report.ok
    assert report.documents[0].tuplets == (("Flute", 1, ("4",)),)
    assert "tuplets" not in report.counts
    assert "1 tuplet" in report.summary()[0]
    asked = check_musicxml(data, options=CheckOptions(tuplets=True, layout=False))
    assert [(f.bar, f.message) for f in asked.of_rule("tuplets")] == [("4", "1 tuplet")]


# --- inputs, layout faithfulness -----------------------------------------------------


@pytest.mark.not_looked("a file named .pdf that is no PDF lies in the folder on purpose")
def test_compressed_mxl_files_and_folders(tmp_path):
    data = doc(part("Flute", clean_bars()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("META-INF/container.xml", '<container><rootfiles><rootfile '
                         'full-path="score.xml"/></rootfiles></container>')
        archive.writestr("score.xml", data)
    (tmp_path / "cue" / "sub").mkdir(parents=True)
    (tmp_path / "cue" / "a.mxl").write_bytes(buffer.getvalue())
    (tmp_path / "cue" / "sub" / "b.musicxml").write_bytes(
        doc(part("Oboe", clean_bars(), final=False)))
    (tmp_path / "cue" / "notes.pdf").write_bytes(b"%PDF")
    report = check_folder(tmp_path / "cue")
    assert [d.source for d in report.documents] == ["a.mxl", "sub/b.musicxml"]
    assert [(f.source, f.rule) for f in report.findings] == [("sub/b.musicxml",
                                                              "final_barline")]
    assert report.counts["final_barline"] == 1 and not report.ok
    assert report.pages == 2
    assert check_files([tmp_path / "cue" / "a.mxl"]).ok


@pytest.mark.parametrize(("content", "needle"), [
    (b"<score-timewise/>", "not a partwise MusicXML score"),
    (b"<score-partwise><part-list/>", "not well-formed XML"),
    (b"<score-partwise><part-list/></score-partwise>", "no part with a bar"),
])
def test_bad_input_is_one_line_naming_the_file(tmp_path, content, needle):
    path = tmp_path / "bad.musicxml"
    path.write_bytes(content)
    with pytest.raises(ParseError) as error:
        check_musicxml(path)
    assert needle in str(error.value) and "bad.musicxml" in str(error.value)
    assert "\n" not in str(error.value)


def test_bad_paths_and_options(tmp_path):
    with pytest.raises(InputError, match="cannot read the file"):
        check_musicxml(tmp_path / "missing.musicxml")
    with pytest.raises(InputError, match="holds no MusicXML"):
        check_folder(tmp_path)
    with pytest.raises(InputError, match="not a folder"):
        check_folder(tmp_path / "missing")
    with pytest.raises(InputError, match="unknown kind"):
        CheckOptions(kind="booklet")
    with pytest.raises(InputError, match="negative"):
        CheckOptions(letters_every=-1)


def test_the_annotations_the_check_asks_for_do_not_move_anything():
    """The check lays out with engrave.py's options plus svgBoundingBoxes and data-
    attributes: every glyph, line and text stands where the engraved page has it."""
    import verovio

    from filmscore.engraving.check_layout import layout_options
    from filmscore.engraving.engrave import verovio_options

    bars = clean_bars()
    bars[2] = [words("01:00:21:15"), words("01:00:23:15", offset=14),
               rest(16, measure=True)]
    data = doc(part("Flute", bars)).decode()

    def shapes(options: dict) -> list[str]:
        tk = verovio.toolkit()
        tk.setOptions(options)
        tk.setInputFrom("musicxml")
        assert tk.loadData(data)
        svg = re.sub(r'<g id="bbox-[^"]*"[^>]*>(<rect[^>]*/>)?</g>|<g id="bbox-[^"]*"[^>]*/>',
                     "", tk.renderToSVG(1))
        found = re.findall(r"<(?:text|use|path|rect|ellipse)[^>]*>", svg)
        return sorted(re.sub(r' (?:id|data-[\w-]+)="[^"]*"|-[a-z0-9]+"', "", x) for x in found)

    plain, annotated = shapes(verovio_options("part")), shapes(layout_options("part"))
    assert len(plain) > 50 and plain == annotated
