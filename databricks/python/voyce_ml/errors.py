"""Task errors with messages meant for the caller (they end up in `runs/get-output` `error`)."""


class TaskInputError(ValueError):
    """The task's parameters are missing or malformed; resubmitting the same input fails again."""


class AudioDownloadError(RuntimeError):
    """The audio URL could not be fetched (HTTP error, timeout, refused connection)."""


class AudioDecodeError(TaskInputError):
    """The downloaded bytes are not audio that ffmpeg/PyAV can decode."""
