"""The one exception tree of filmscore; the only place errors are defined.

::

    FilmscoreError                 anything filmscore refuses to do (exit status 1)
    ├── InputError                 bad input: names where, the bad value and what is valid
    │   ├── ParseError             a file that cannot be read as its format (EDL, XML, CSV, ...)
    │   ├── TimecodeError          an illegal timecode, rate or feet+frames value
    │   └── ValidationError        well-formed but wrong: cue outside picture, overlap, ...
    ├── NotFoundError              a project, picture version, cue or sync point that is not there
    ├── ConflictError              a record changed by someone else, or a name already taken
    ├── StoreError                 the database or media store cannot be opened or migrated
    └── ToolError                  an outside program (ffmpeg, ffprobe) is missing or failed

    FilmscoreWarning (a UserWarning) something not carried or done in part; the work went on

Library code raises these; a warning is issued with ``warnings.warn(FilmscoreWarning(...))``
and the rest of the work is kept.
Only the CLI entry point and the web app turn them into a
message and an exit code or HTTP status.  ``str(error)`` is the whole one-line message.
"""

from __future__ import annotations

from typing import Any


class FilmscoreError(Exception):
    """Base of every error filmscore reports to a user."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(FilmscoreError):
    """Bad input; the message names where (file, line, field), the value and what is valid."""

    exit_code = 2
    http_status = 422

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        field: str | None = None,
        value: Any = None,
        valid: str | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.field = field
        self.value = value
        self.valid = valid
        self.reason = message
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = ""
        if self.source:
            where = str(self.source)
            if self.line is not None:
                where += f", line {self.line}"
        elif self.line is not None:
            where = f"line {self.line}"
        parts = []
        if where:
            parts.append(where)
        if self.field:
            parts.append(f"field {self.field}")
        head = ", ".join(parts)
        text = f"{head}: {self.reason}" if head else self.reason
        if self.value is not None:
            value = self.value if isinstance(self.value, str) else repr(self.value)
            if len(value) > 80:
                value = value[:77] + "..."
            text += f" (got {value!r})" if isinstance(self.value, str) else f" (got {value})"
        if self.valid:
            text += f"; valid: {self.valid}"
        # one line, always
        return " ".join(text.split())

    def located(self, *, source: str | None = None, line: int | None = None) -> InputError:
        """Return the same error with a file and/or line filled in where it had none."""
        if source is not None and not self.source:
            self.source = source
        if line is not None and self.line is None:
            self.line = line
        self.message = self._compose()
        self.args = (self.message,)
        return self


class ParseError(InputError):
    """A file that cannot be read as the format it claims to be."""


class TimecodeError(InputError):
    """An illegal timecode label, frame rate, or feet+frames value."""


class ValidationError(InputError):
    """Input that parses but breaks a rule: end before start, overlapping cues, ..."""


class NotFoundError(FilmscoreError):
    """A project, picture version, cue or sync point that does not exist."""

    exit_code = 3
    http_status = 404


class ConflictError(FilmscoreError):
    """A record changed since it was read, or a unique name that is already taken."""

    exit_code = 4
    http_status = 409


class StoreError(FilmscoreError):
    """The database or the media store cannot be opened, migrated or written."""

    exit_code = 5
    http_status = 500


class ToolError(FilmscoreError):
    """An outside program (ffmpeg, ffprobe, ...) is missing or failed."""

    exit_code = 6
    http_status = 500


def named_error(name: str, message: str) -> FilmscoreError | None:
    """The error class ``name`` of this module made again with ``message``: how an error
    comes back from a worker process or a job, which hand over ``type(exc).__name__`` and
    ``str(exc)``; None when no filmscore error has that name."""
    cls = globals().get(name)
    if not (isinstance(cls, type) and issubclass(cls, FilmscoreError)):
        return None
    return cls(message)


class FilmscoreWarning(UserWarning):
    """Something filmscore did not carry (notation of a source file, an event it could not
    read) while the rest of the work went on; ``str(warning)`` is the one-line message,
    naming the file and where (the CLI prints it as 'filmscore: warning: ...')."""
