"""The cue sheet's vocabulary, declared once as data (DESIGN rule 7): the performing-rights
usage codes, the roles that hold shares, and the societies.  Add a row here and nowhere
else."""

from __future__ import annotations

#: performing-rights usage codes (cue sheets of ASCAP, BMI, PRS, SOCAN, SACEM...):
#: code -> meaning.  The four background/visual codes and MT/ET are on every society's
#: form; the others are the common extras.
USAGES: dict[str, str] = {
    "BI": "background instrumental",
    "BV": "background vocal",
    "VI": "visual instrumental",
    "VV": "visual vocal",
    "MT": "main title",
    "ET": "end title",
    "SRC": "source (heard from a radio, a band, a record in the scene)",
    "OT": "opening theme",
    "CT": "closing theme",
    "LOGO": "logo / signature",
    "TR": "trailer / promo",
}

#: roles on a cue sheet and the share each role's rows must add up to (per cent)
SHARE_ROLES = ("composer", "publisher")

#: performing-rights organisations a writer or publisher may belong to (add as needed)
PROS = ("ASCAP", "BMI", "SESAC", "GMR", "SOCAN", "PRS", "SACEM", "GEMA", "SIAE", "SGAE",
        "JASRAC", "APRA", "STIM", "KODA", "TONO", "TEOSTO", "BUMA", "SABAM", "SUISA",
        "AKM", "ZAIKS", "NS")
