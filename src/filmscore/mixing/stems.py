"""Which stems a cue has, and its electronics stem.

**Names.**  A comp's stems are named by the takes' stems.  A name that is one of
``vocabulary.STEM_NAMES`` (strings, woodwinds, brass, percussion, harp_keys, choir,
electronics) is that stem; a section of the orchestra (``orchestration.instruments
.SECTIONS``: "voices" is the choir, "harp", "keyboards" and "guitars" are harp_keys) or
an instrument ("violin", "Horn", "timpani": its section) is mapped through
``vocabulary.STEM_OF_SECTION``; spaces and hyphens count as underscores, case does not
matter ("Harp Keys" is harp_keys).  Anything else ("orchestra", "room", "tree") is
refused, naming the stem and the valid names.  Two comp stems can feed one mix stem
("harp" and "piano" both go to harp_keys): they are summed.

**Electronics.**  The electronics stem is the composer's prerecorded parts: the cue's
latest music version's parts whose instrument is in the "synths" section
(``orchestration.instruments``); a part whose instrument is not a known instrument counts
when the stage pack would have played it back as electronics (``recording.stagepack
.is_electronic``: a synth GM program, or "synth", "electronic", "sampler" in its name),
so the mix hears what the stage heard.  They are rendered with the mockup renderer
(``writing.mockup.render_mockup``, FluidSynth, no click) at the stems' level, and
placed so that the render's sample 0 (the first click of the tempo map) lands on its
sample of the cue: ``offset = round_half_up(absolute first-click seconds x rate) -
cue_start_sample`` (``mixing.placing``'s contract: a comp's and a mix's sample 0 is the
cue's start).  A cue without such parts (or without a music version or tempo map) has no
electronics stem.  When the comp already has an electronics stem (the playback recorded
on the stage) that is used and nothing is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from filmscore import children
from filmscore.errors import InputError
from filmscore.mixing.vocabulary import STEM_NAMES, STEM_OF_SECTION
from filmscore.orchestration.instruments import SECTIONS

ELECTRONICS = "electronics"
ELECTRONICS_SECTION = "synths"


def _norm(name: str) -> str:
    return "_".join(str(name).strip().lower().replace("-", " ").replace("/", " ").split())


def stem_of(name: str) -> str:
    """The mix stem a comp's stem called ``name`` goes into; InputError naming it and the
    valid names when it is none."""
    from filmscore.orchestration.instruments import get_instrument

    key = _norm(name)
    if key in STEM_NAMES:
        return key
    if key in STEM_OF_SECTION:
        return STEM_OF_SECTION[key]
    try:
        section = get_instrument(str(name)).section
    except InputError:
        section = None
    if section in STEM_OF_SECTION:
        return STEM_OF_SECTION[section]
    raise InputError("unknown stem", field="stem", value=str(name),
                     valid=", ".join(STEM_NAMES) + "; or a section ("
                     + ", ".join(s for s in SECTIONS if s in STEM_OF_SECTION)
                     + ") or an instrument")


def group_stems(names: list[str] | tuple[str, ...]) -> dict[str, list[str]]:
    """Mix stem -> the comp stems that go into it (in STEM_NAMES order)."""
    grouped: dict[str, list[str]] = {}
    for name in names:
        grouped.setdefault(stem_of(name), []).append(name)
    return {s: grouped[s] for s in STEM_NAMES if s in grouped}


def is_prerecorded(part) -> bool:
    """A part the composer prerecords: its instrument is in the synths section, or (an
    instrument we do not know) the stage pack plays it back as electronics."""
    from filmscore.orchestration.instruments import get_instrument
    from filmscore.recording.stagepack import is_electronic

    if part.is_drum:
        return False
    if part.instrument:
        try:
            return get_instrument(part.instrument).section == ELECTRONICS_SECTION
        except InputError:
            pass
    return is_electronic(part)


def prerecorded_parts(music) -> tuple:
    """The parts of ``music`` that make the electronics stem (with notes; may be none)."""
    return tuple(p for p in music.parts if p.notes and is_prerecorded(p))


@dataclass(frozen=True)
class Electronics:
    """The electronics stem rendered: the file (in the folder given), and where its
    sample 0 falls in the cue (samples from the cue's start; negative: before it)."""

    path: Path
    offset: int
    parts: tuple[str, ...]


def render_electronics(music, tempo_map, *, cue_start_sample: int, sample_rate: int,
                       out_dir: Path, instrumentation: str | None = None,
                       soundfont: str = "fluidr3") -> Electronics | None:
    """Render the prerecorded parts of ``music`` into ``out_dir`` (None when there are
    none), placed against the cue's start (see the module's text)."""
    from filmscore.writing.mockup import render_mockup

    parts = prerecorded_parts(music)
    if not parts:
        return None
    with children.scratch_folder(prefix="filmscore-electronics-", dir=out_dir) as tmp:
        done = render_mockup(music.with_parts(parts), Path(tmp), tempo_map=tempo_map,
                             click=False, sample_rate=sample_rate, name="electronics",
                             instrumentation=instrumentation or None, soundfont=soundfont)
        path = Path(out_dir) / "electronics-render.wav"
        done.music_stem.replace(path)
    origin = tempo_map.absolute_seconds(tempo_map.first_beat_seconds)
    first = (Fraction(origin) * sample_rate + Fraction(1, 2)).__floor__()
    return Electronics(path, first - cue_start_sample, tuple(p.name for p in parts))
