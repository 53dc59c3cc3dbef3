"""The demo job: the Popeye film carried through every stage filmscore has so far.

Stage 1 (spotting): make the project, assemble the four film parts into reel 1 (a video
and the EDL that describes the assembly), import that picture with its shot changes and
the subtitles as dialogue markers, run the spotting session from the demo's spotting list,
and write the spotting list as CSV and PDF.

Stage 2 (sync): give every cue a tempo map solved to land its hard hits (in the meter its
spotting notes ask for, on eighths, at 60-160 BPM, one bar of count-in), and render its
click (WAV + MIDI), click sheet (PDF) and streamer video.

Stage 3 (writing): the score's themes (a Popeye theme on "The Sailor's Hornpipe", a
Sindbad theme, a roc motif, a Boola motif) and a variant, a sketch of every cue built from
them on its tempo map, in its meter, with dynamics, hairpins and articulations from its
mood, dialogue and hits (MusicXML, imported as music v1 and checked against the cue; a
MIDI file beside it for DAWs), a FluidSynth mockup of every cue, a director's note and
approvals, two augmented statements the composer confirms, and the themes report.

Stage 4 (orchestration and copying): every cue's sketch orchestrated for the studio
orchestra as its spotting notes ask (the instruments they name play, the sections they
leave out rest; full score and the decisions to check, playability-checked), every player's
part (MusicXML and PDF) with tacet sheets, the conductor's score of every cue, and a
session book per chair for the first recording session (hard cues first).

Stages 5 and 6 (musicians and recording, ``filmscore.demo_recording``): the roster, a
session plan over three non-consecutive days solved with OR-Tools, every session booked
with its call list and players' time per cue, the costs from the rate card, several takes
per cue logged with their stems (strings, woodwinds, brass, percussion, harp_keys: the
orchestration rendered per stem standing in for the orchestra, each take a Broadcast WAV
per stem placed on the film by its bext TimeReference) and circled, a pickup after a
picture change planned and recorded, the music editor's cue sheet, and the stage pack of
the first session.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmscore.errors import InputError
from filmscore.formats.otio_cut import write_edl
from filmscore.formats.spotting_csv import read_spotting_csv, write_spotting_csv
from filmscore.formats.spotting_pdf import write_spotting_pdf
from filmscore.formats.video import concat, probe
from filmscore.orchestration.service import set_project_credits
from filmscore.project import init_project, open_project
from filmscore.spotting.cues import CueSpec
from filmscore.spotting.cut import CutEvent, make_cut
from filmscore.spotting.service import (
    PictureSummary,
    import_cues,
    import_picture,
    list_cues,
    picture_markers,
)
from filmscore.sync.service import (
    render_clicks,
    render_streamers,
    set_tempo_map,
    solve_for_cue,
    write_sheet,
)
from filmscore.sync.tempomap import TempoMap
from filmscore.timecode import format_label, get_rate
from filmscore.writing.cuetime import meter_for

TITLE = "Popeye the Sailor Meets Sindbad the Sailor"
#: the demo's music is machine-written from its themes (the 1936 short's own score, by
#: Sammy Timberg, is not used); Popeye's theme is the traditional Sailor's Hornpipe
COMPOSER = "filmscore demo, machine-written (Popeye: The Sailor's Hornpipe, trad.)"
ORCHESTRATOR = "filmscore (automatic)"  # the parts print "Music: ...", "Orchestration: ..."
RATE = get_rate("24")
REEL_START = 86400  # reel 1 starts at 01:00:00:00
PARTS = ("part1", "part2", "part3", "part4")
VIDEO_SIZE = (720, 536)  # the parts differ by two lines (1074 vs 1072): scale all alike
MARKER = ".filmscore-demo"
SUBDIVISION = 2  # tempo maps land hits on eighths; the sketches write on that grid


@dataclass(frozen=True)
class DemoResult:
    project_dir: Path
    picture: PictureSummary
    cues: list[CueSpec]
    files: dict[str, Path]
    title: str
    rate_name: str
    tempo_maps: dict[str, TempoMap] = dataclasses.field(default_factory=dict)
    theme_report: object = None
    orchestrations: list = dataclasses.field(default_factory=list)
    recording: object = None  # demo_recording.RecordingResult
    mixing: object = None  # demo_mixing.MixingResult
    album: object = None  # demo_album.AlbumResult
    conform: object = None  # demo_conform.ConformResult
    logins: list = dataclasses.field(default_factory=list)  # (name, role, password)


def default_data_dir() -> Path:
    """demo/popeye1936 in the source tree this package runs from."""
    return Path(__file__).resolve().parents[2] / "demo" / "popeye1936"


def _prepare(out: Path) -> None:
    if out.exists():
        if not (out / MARKER).exists() and any(out.iterdir()):
            raise InputError("folder exists and was not made by the demo; not touching it",
                             field="output", value=str(out),
                             valid="a new folder, or one the demo made before")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("made by 'filmscore demo'; rerunning the demo replaces it\n")


def run_demo(out: Path, data: Path | None = None,
             step: Callable[[str], None] = lambda _msg: None) -> DemoResult:
    """Run the demo job into ``out`` (replaced if the demo made it before)."""
    data = Path(data) if data else default_data_dir()
    missing = [p for p in PARTS if not (data / f"{p}.mkv").is_file()]
    if missing:
        raise InputError("demo film not found", field="data", value=str(data),
                         valid=f"a folder holding {', '.join(p + '.mkv' for p in PARTS)}")
    out = Path(out)
    _prepare(out)
    project_dir = out / "popeye1936"

    step("Making the project")
    init_project(project_dir, title=TITLE, fps=RATE.name)
    pctx = open_project(project_dir)
    set_project_credits(pctx, composer=COMPOSER, orchestrator=ORCHESTRATOR)

    step("Assembling reel 1 from the four parts (ffmpeg)")
    picture_dir = out / "picture"
    picture_dir.mkdir()
    video = picture_dir / "popeye1936_reel1.mp4"
    parts = [data / f"{p}.mkv" for p in PARTS]
    lengths = concat(parts, video, size=VIDEO_SIZE, timecode=format_label(REEL_START, RATE))
    events, offsets, record = [], [], REEL_START
    for n, (part, length) in enumerate(zip(parts, lengths, strict=True), 1):
        events.append(CutEvent(index=n, clip_name=part.name, source_reel=f"PART{n}",
                               source_in=0, source_out=length, record_in=record,
                               record_out=record + length))
        offsets.append(record)
        record += length
    edl = picture_dir / "popeye1936_reel1.edl"
    write_edl(make_cut(name="POPEYE 1936 REEL 1", rate=RATE, events=events,
                       source="assembly", source_kind="edl"), edl)
    info = probe(video)

    step("Importing the picture: EDL, reference video, shot changes, dialogue")
    picture = import_picture(
        pctx, edl, video=video, name="Reel 1 assembly",
        subtitles=[data / f"{p}.eng.srt" for p in PARTS], subtitle_offsets=offsets,
        note=f"4 parts joined, {info.width}x{info.height}",
    )

    step("Spotting session: cues and sync points")
    cues = read_spotting_csv(data / "spotting.csv", RATE)
    import_cues(pctx, cues)
    cues = list_cues(pctx)

    step("Writing the spotting list (CSV, PDF)")
    files = {"picture": video, "edl": edl}
    files["spotting_csv"] = out / "spotting-list.csv"
    write_spotting_csv(cues, files["spotting_csv"], RATE)
    files["spotting_pdf"] = out / "spotting-list.pdf"
    write_spotting_pdf(cues, files["spotting_pdf"], rate=RATE, title=TITLE,
                       picture_name=f"v{picture.number} {picture.name}")
    maps = _sync_stage(pctx, cues, out, step)
    report = _writing_stage(pctx, cues, maps, data, out, step)
    copied, orchestrations = _orchestration_stage(pctx, cues, out, step)
    files.update(copied)
    from filmscore.demo_recording import recording_stage

    roster = data / "roster.csv"  # a film without its own roster gets the demo's players
    roster = roster if roster.is_file() else default_data_dir() / "roster.csv"
    recording = recording_stage(pctx, out, roster, title=TITLE, step=step)
    files.update(recording.files)
    from filmscore.demo_mixing import mixing_stage

    recorded = {t.cue for t in recording.takes}
    mixing = mixing_stage(pctx, [c for c in cues if str(c.number) in recorded], step=step)
    files.update(mixing.files)
    from filmscore.demo_album import album_stage

    album = album_stage(pctx, step=step)
    files.update(album.files)
    from filmscore.demo_conform import conform_stage

    conform = conform_stage(pctx, out, rate=RATE, start=REEL_START, size=VIDEO_SIZE,
                            reel=video, parts=dict(zip(PARTS, lengths, strict=True)),
                            step=step)
    files.update(conform.files)
    step("Web workspace: a demo login for each role")
    logins = demo_logins(pctx)
    return DemoResult(project_dir=project_dir, picture=picture, cues=cues, files=files,
                      title=TITLE, rate_name=RATE.name, tempo_maps=maps, theme_report=report,
                      orchestrations=orchestrations, recording=recording, mixing=mixing,
                      album=album, conform=conform, logins=logins)


def demo_logins(pctx) -> list[tuple[str, str, str]]:
    """One account per role for the web workspace, (name, role, password): the name is the
    role ('music-editor'), the password the role and '-demo' ('music-editor-demo').
    Demo passwords, printed by the demo: for a machine of your own, not a shared one."""
    from filmscore.accounts import ROLES
    from filmscore.users import add_user

    logins = []
    for role in ROLES:
        name = role.replace(" ", "-")
        password = f"{name}-demo"
        add_user(pctx, name, role, password)
        logins.append((name, role, password))
    return logins


def _sync_stage(pctx, cues: list[CueSpec], out: Path, step) -> dict[str, TempoMap]:
    """Solve, click, click sheet and streamers for every cue."""
    maps: dict[str, TempoMap] = {}
    for n, cue in enumerate(cues, 1):
        number = str(cue.number)
        step(f"Sync {n}/{len(cues)}: cue {number}: tempo map, click, click sheet, streamers")
        meter = meter_for(cue)
        solved = solve_for_cue(pctx, number, meter=meter, subdivision=SUBDIVISION,
                               tempo_range=(Fraction(60), Fraction(160)))
        tmap = dataclasses.replace(solved.tempo_map, count_in_bars=1)
        maps[number] = set_tempo_map(pctx, number, tmap, origin="solve",
                                     note=f"demo: solved in {meter} on eighths, "
                                          "60-160 BPM").tempo_map
        render_clicks(pctx, number)
        sheets = out / "click-sheets"
        sheets.mkdir(exist_ok=True)
        write_sheet(pctx, number, sheets / f"{number}.pdf")
        render_streamers(pctx, number)
    return maps


def _writing_stage(pctx, cues: list[CueSpec], maps: dict[str, TempoMap], data: Path,
                   out: Path, step):
    """Themes, a sketch of every cue from them (music v1), mockups, review, report."""
    from filmscore.formats.midi_music import write_music as write_midi
    from filmscore.formats.musicxml import write_music as write_musicxml
    from filmscore.writing.service import (
        add_note,
        add_theme,
        derive_theme,
        import_version,
        render_cue_mockups,
        set_status,
        set_verdict,
        theme_report,
    )
    from filmscore.writing.sketch import DEMO_PLANS, read_theme_file, sketch_cue

    step("Writing: the themes and motifs")
    themes = {}
    for path in sorted((data / "themes").glob("*.txt")):
        theme = read_theme_file(path)
        add_theme(pctx, theme.name, theme.music, stands_for=theme.stands_for,
                  kind=theme.kind, notes=f"key {theme.key}; from {path.name}")
        themes[theme.name] = theme.music
    derive_theme(pctx, "sindbad", "invert", {}, save_as="sindbad inverted")
    sketches = out / "sketches"
    sketches.mkdir(exist_ok=True)
    dialogue = [(m.frame, m.end_frame, m.text)
                for m in picture_markers(pctx, kinds=("dialogue",))]
    for cue in cues:
        number = str(cue.number)
        step(f"Writing: sketch of cue {number} from the themes, on its tempo map")
        music = sketch_cue(cue, maps[number], themes, plan=DEMO_PLANS[number],
                           dialogue=dialogue, subdivision=SUBDIVISION)
        music = dataclasses.replace(music, title=f"{number} {cue.title}")
        # the MusicXML keeps the marks (dynamics, hairpins, articulations); the MIDI file
        # is for a DAW
        path = write_musicxml(music, sketches / f"{number}.musicxml")
        write_midi(music, sketches / f"{number}.mid", tempo_map=maps[number])
        import_version(pctx, number, path, author="filmscore demo",
                       reason="first sketch from the themes")
    step("Writing: mockups of every cue (FluidSynth, FluidR3 GM), in parallel")
    render_cue_mockups(pctx, None, all_cues=True)
    for cue in cues:
        set_status(pctx, str(cue.number), "mockup sent", author="music editor")
    by_number = {str(c.number): c for c in cues}
    noted = by_number.get("1M2", cues[0])
    middle = format_label((noted.start_frame + noted.end_frame) // 2, RATE)
    add_note(pctx, str(noted.number), middle, "More swagger in the brass here",
             author="director")
    set_status(pctx, str(noted.number), "changes requested", author="director",
               note="brass: more swagger")
    for number in ("1M1", "1M4", "1M8"):
        if number in by_number and by_number[number] is not noted:
            set_status(pctx, number, "approved", author="director")
    # what the report is less sure of (the wide reading: augmented statements score
    # under its threshold), the composer confirms by ear: shown from then on
    confirmed = [(theme, number) for theme, number in DEMO_CONFIRMED if number in by_number]
    if confirmed:  # (a demo film of fewer cues has fewer to confirm)
        step("Writing: the composer confirms two augmented statements the wide reading "
             "shows")
    for theme, number in confirmed:
        set_verdict(pctx, theme, number, 1, "confirmed", author="composer",
                    note="augmented: heard as the theme")
    step("Writing: where each theme appears")
    return theme_report(pctx)


#: the themes the composer confirms in bar 1 of these cues (augmented: the report's
#: threshold leaves them to the wide reading)
DEMO_CONFIRMED = (("popeye", "1M6"), ("boola", "1M10"))


#: the demo's first recording session: hard cues (most hard hits) first, at most this many
SESSION_CUES = 4
#: the cue the director asked more brass of (its notes already give the brass the lead)
BRASS_CUE = "1M2"


def _orchestration_stage(pctx, cues: list[CueSpec], out: Path, step
                         ) -> tuple[dict[str, Path], list]:
    """Orchestrate every cue for the studio orchestra; parts, scores, session books."""
    from filmscore.orchestration.ensembles import get_template
    from filmscore.orchestration.service import copy_cue, orchestrate_cue, session_books

    studio = get_template("studio")
    here = Path(pctx.directory)
    summaries = []
    for cue in cues:
        number = str(cue.number)
        step(f"Orchestrating cue {number} for {studio.title}, as its notes ask")
        reason = "from the sketch and the cue's notes"
        if number == BRASS_CUE:  # the director's note: "More swagger in the brass here"
            reason = "director: more brass swagger (the trumpets on the tune, horns and " \
                     "trombones on the off-beats)"
        summary, _ = orchestrate_cue(pctx, number, ensemble=studio, author="filmscore demo",
                                     reason=reason)
        summaries.append(summary)
    for cue in cues:
        number = str(cue.number)
        step(f"Copying cue {number}: parts, tacet sheets, conductor's score (verovio)")
        # in the project folder, where the web workspace's cue page finds them
        copy_cue(pctx, number, here / "parts", parts=True, score=False)
        copy_cue(pctx, number, here / "scores", parts=False, score=True)
    hard = sorted(cues, key=lambda c: (-sum(1 for s in c.sync_points if s.kind == "hard"),
                                       c.start_frame))[:SESSION_CUES]
    order = [str(c.number) for c in hard]
    step(f"Session books for Day 1 ({', '.join(order)}), one per chair")
    books = session_books(pctx, order, here / "books", session="Day 1")
    return ({"parts": here / "parts", "scores": here / "scores",
             "books": books.books[0].parent if books.books else here / "books"}, summaries)
