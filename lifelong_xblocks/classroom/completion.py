"""When a lesson counts as completed."""


def is_complete(progress, kind, threshold, needs_pass, passed):
    """Coverage (or reading) reached and, when the author asks for it, the quick check passed
    (``passed``: a bool, or a function asked only when coverage and the author's rule need it)."""
    if progress is None:
        return False
    if kind == "text":
        consumed = progress.finished_reading_at is not None
    else:
        consumed = progress.coverage >= threshold - 1e-9
    return consumed and (not needs_pass or (passed() if callable(passed) else passed))
