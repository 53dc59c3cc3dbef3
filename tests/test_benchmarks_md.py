"""BENCHMARKS.md agrees with its own tables, and bench/run.py reruns one benchmark's rows.

The rule the document follows (stated under "How to run"): a figure written in bold
(``**...**``) is a result, and every "N x" and "N ms" in bold is in a table of its
section or in the results table that bench/run.py writes.  Figures that are not this
table's results (targets, earlier runs, estimates) are written plain.  So a rerun that
moves a number makes this test fail until the prose that quotes it is read again.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "BENCHMARKS.md"
#: a number, thousands commas allowed, then "x" or "ms" (1.06x, 12,700x, 372 ms)
FIGURE = re.compile(r"(?<![\w.,])(\d[\d,]*(?:\.\d+)?)\s?(x|ms)\b")
BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)


def figures(text: str) -> set[tuple[str, str]]:
    return {(m[1].replace(",", ""), m[2]) for m in FIGURE.finditer(text)}


def sections(text: str) -> dict[str, str]:
    """The '## ' sections by heading (subsections stay in their section)."""
    parts = re.split(r"(?m)^(?=## )", text)
    return {part.splitlines()[0]: part for part in parts if part.startswith("## ")}


def tables(section: str) -> str:
    return "\n".join(line for line in section.splitlines() if line.lstrip().startswith("|"))


def bold_claims(section: str) -> list[str]:
    prose = "\n".join(line for line in section.splitlines()
                      if not line.lstrip().startswith("|"))
    return BOLD.findall(prose)


def unmatched(text: str) -> list[tuple[str, str, str]]:
    """(section, bold text, figure) for every bold figure in no table it may quote."""
    parts = sections(text)
    results = next((tables(body) for head, body in parts.items()
                    if head.strip() == "## Results"), "")
    missing = []
    for head, body in parts.items():
        known = figures(tables(body)) | figures(results)
        for claim in bold_claims(body):
            missing += [(head, claim, f"{n}{unit}") for n, unit in sorted(figures(claim))
                        if (n, unit) not in known]
    return missing


def test_every_bold_figure_is_in_its_sections_tables():
    missing = unmatched(DOC.read_text(encoding="utf-8"))
    assert not missing, "\n".join(f"{head}: **{claim[:60]}** quotes {fig}, in no table"
                                  for head, claim, fig in missing)


def test_the_check_finds_a_figure_the_table_does_not_have():
    doc = ("## Results\n\n| bench | ratio | notes |\n|---|---|---|\n"
           "| click | 1.67x | 651x real time; 419 ms a query |\n\n"
           "## Reading the results\n\n**Click: 651x real time, 1.67x the peer.**  Target 500x.\n"
           "**Theme search: 419 ms a query.**\n\n"
           "## Other\n\n| case | ratio |\n|---|---|\n| a | 2.5x |\n\n"
           "**2.5x here, 1.67x from the results; 12,700x from nowhere.**\n")
    assert unmatched(doc) == [("## Other", "2.5x here, 1.67x from the results; 12,700x "
                               "from nowhere.", "12700x")]
    assert unmatched(doc.replace("651x real time, 1.67x", "12,700x real time, 1.6x")) == [
        ("## Reading the results", "Click: 12,700x real time, 1.6x the peer.", "1.6x"),
        ("## Reading the results", "Click: 12,700x real time, 1.6x the peer.", "12700x"),
        ("## Other", "2.5x here, 1.67x from the results; 12,700x from nowhere.", "12700x")]


def test_a_rerun_replaces_only_its_benchmarks_rows():
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]
    try:
        run = importlib.import_module("run")
        common = importlib.import_module("_common")
    finally:
        del sys.path[:2]
    old = ("- **date**: then\n- **run**: `bench/run.py`, 900 s\n\n" + run.table([
        common.Result("click", "a", "ours", 1.0, "peer", 2.0, "old click"),
        common.Result("edl", "b", "ours", 1.0, "peer", 2.0, "edl"),
        common.Result("streamers", "c", "ours", 3.0, "peer", 2.0, "old streamers")]) + "\n")
    new = run.rerun_section(old, [common.Result("streamers", "c", "ours", 2.2, "peer", 2.0,
                                                "new streamers")], ["streamers"], 60, "1.0")
    rows = [line for line in new.splitlines() if line.startswith("| ")][1:]
    assert [r.split("|")[1].strip() for r in rows] == ["click", "edl", "streamers"]
    assert "old click" in rows[0] and "new streamers" in rows[2] and "1.10x" in rows[2]
    assert "- **date**: then" in new and new.count("- **rerun**: streamers on ") == 1
    again = run.rerun_section(new, [common.Result("click", "a", "ours", 1.5, "peer", 2.0,
                                                  "")], ["click"], 60, "1.0")
    assert again.count("- **rerun**:") == 2  # streamers' rerun line stays: not rerun now
    assert run.rerun_section(again, [], ["click", "streamers"], 1, "1.0").count(
        "- **rerun**:") == 1
