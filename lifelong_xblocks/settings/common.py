"""Defaults merged into the LMS/Studio settings by the Open edX plugin machinery."""


def plugin_settings(settings):
    """Give ``LIFELONG_XBLOCKS`` its defaults without overriding what the operator set."""
    from lifelong_xblocks.conf import DEFAULTS  # pylint: disable=import-outside-toplevel

    configured = getattr(settings, "LIFELONG_XBLOCKS", {}) or {}
    settings.LIFELONG_XBLOCKS = {**DEFAULTS, **configured}
