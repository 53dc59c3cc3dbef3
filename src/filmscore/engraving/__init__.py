"""Engraving: MusicXML parts and scores laid out by verovio and written as PDF pages
(``engrave``), our SVG-to-PDF writer (``svgpdf`` with ``geometry``, ``svgstyle`` and
``pdfwriter``), the look of our printed paperwork (``style``), tacet sheets (``tacet``)
and session books (``books``).  Not a file format: ``formats/`` holds the adapters."""
