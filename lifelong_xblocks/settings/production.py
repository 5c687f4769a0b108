"""Production settings: operators override ``LIFELONG_XBLOCKS`` in their YAML/env config."""


def plugin_settings(settings):
    """Read ``LIFELONG_XBLOCKS`` from the operator's ENV_TOKENS when present."""
    from lifelong_xblocks.conf import DEFAULTS  # pylint: disable=import-outside-toplevel

    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    configured = {**(getattr(settings, "LIFELONG_XBLOCKS", {}) or {}), **env_tokens.get("LIFELONG_XBLOCKS", {})}
    settings.LIFELONG_XBLOCKS = {**DEFAULTS, **configured}
