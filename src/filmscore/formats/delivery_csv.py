"""The delivery report as CSV (written, not read): one row per delivered file::

    file,cue,title,use,stem,code,mix,layout,channels,sample_rate,bits,start_timecode,
    start_sample,length_timecode,length_samples,end_timecode,loudness_lufs,
    true_peak_dbtp,measured_by

``start_timecode`` is the frame at the project rate where the file's first sample is
heard (its TimeReference is ``start_sample``, samples from 00:00:00:00);
``length_timecode`` the length in whole frames and the samples past them
(``00:01:02:03+1200``: exact); loudness is integrated (EBU R128 / BS.1770), true peak in
dBTP, empty for silence; ``measured_by`` says where the values came from.

Dialect: comma-separated, ``"`` quoting, UTF-8 with a byte-order mark, written
atomically.  What it loses: nothing the PDF shows; the files themselves are beside it.
"""

from __future__ import annotations

import csv
import io
import os
from fractions import Fraction
from pathlib import Path

from filmscore.fileio import write_atomic
from filmscore.mixing.timeline import DeliveredFile, Delivery
from filmscore.timecode import Rate, format_label

COLUMNS = ("file", "cue", "title", "use", "stem", "code", "mix", "layout", "channels",
           "sample_rate", "bits", "start_timecode", "start_sample", "length_timecode",
           "length_samples", "end_timecode", "loudness_lufs", "true_peak_dbtp",
           "measured_by")


def length_label(samples: int, rate: Rate, sample_rate: int) -> str:
    """A length as timecode of whole frames plus the samples past them (exact)."""
    frames = (Fraction(samples, sample_rate) * rate.fps).__floor__()
    rest = samples - (Fraction(frames) / rate.fps * sample_rate).__ceil__()
    label = format_label(frames, rate)
    return f"{label}+{rest}" if rest else label


def _db(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def delivery_rows(delivery: Delivery) -> list[dict[str, str]]:
    """The report's rows as dicts of the columns."""
    rate, sr = delivery.rate, delivery.sample_rate

    def row(f: DeliveredFile) -> dict[str, str]:
        return {"file": f.name, "cue": f.cue, "title": f.title, "use": str(f.use),
                "stem": f.stem, "code": f.code, "mix": f"v{f.mix}", "layout": f.layout,
                "channels": str(f.channels), "sample_rate": str(f.sample_rate),
                "bits": "24", "start_timecode": format_label(f.record_in, rate),
                "start_sample": str(f.start_sample),
                "length_timecode": length_label(f.frames, rate, sr),
                "length_samples": str(f.frames),
                "end_timecode": format_label(f.record_out, rate),
                "loudness_lufs": _db(f.loudness_lufs), "true_peak_dbtp": _db(f.true_peak_dbtp),
                "measured_by": f.measured_by}

    return [row(f) for f in delivery.files]


def write_delivery_csv(delivery: Delivery, path: str | os.PathLike[str]) -> Path:
    """Write the delivery report as CSV at ``path`` (atomically)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(delivery_rows(delivery))
    return write_atomic(Path(path), "\ufeff" + buffer.getvalue())
