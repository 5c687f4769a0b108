"""When a lesson counts as completed."""


def is_complete(progress, kind, threshold, needs_pass, passed):
    """Coverage (or reading) reached and, when the author asks for it, the quick check passed."""
    if progress is None:
        return False
    if kind == "text":
        consumed = progress.finished_reading_at is not None
    else:
        consumed = progress.coverage >= threshold - 1e-9
    return consumed and (passed or not needs_pass)
