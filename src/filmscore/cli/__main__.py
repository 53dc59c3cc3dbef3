"""`python -m filmscore.cli ...`: the `filmscore` command, for a checkout without its
console script (and for `python -X importtime -m filmscore.cli`)."""

from filmscore.cli import main

if __name__ == "__main__":  # not when merely imported (a walk over the package)
    main()
