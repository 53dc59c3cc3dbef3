"""Engraving: MusicXML parts and scores laid out by verovio and written as PDF pages
(``engrave``), our SVG-to-PDF writer (``svgpdf`` with ``geometry``, ``svgstyle`` and
``pdfwriter``), the look of our printed paperwork (``style``), tacet sheets (``tacet``),
session books (``books``), and the engraving check (``check``, with ``check_xml``,
``check_accidentals``, ``check_rhythm``, ``check_marks``, ``check_layout`` and
``findings``).  Not a file format: ``formats/`` holds the adapters."""
