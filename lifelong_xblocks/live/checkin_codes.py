"""The check-in QR code shown on the room's screen: a new code every minute.

A code is ``<minute>.<signature>``: the minute since the epoch (server time) and an HMAC of
the session's usage key and that minute with ``settings.SECRET_KEY``.  It is accepted while it
is at most two minutes old (the current minute or the one before), so a photo sent to someone
at home soon stops counting.  Only the server can make a code; the browser's clock plays no part.
"""
import hashlib
import hmac

import segno
from django.utils.html import escape
from django.conf import settings

from lifelong_xblocks import clock
from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _

MAX_AGE_MINUTES = 1   # the current minute and the one before: at most two minutes old


def minute_of(moment):
    return int(moment.timestamp() // 60)


def _signature(usage_key, minute):
    message = f"lifelong-live-checkin|{usage_key}|{minute}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:24]


def code_for(usage_key, now=None):
    """The code of the current minute."""
    minute = minute_of(now or clock.now())
    return f"{minute}.{_signature(usage_key, minute)}"


def seconds_left(now=None):
    """Seconds until the code shown now is replaced."""
    moment = now or clock.now()
    return 60 - int(moment.timestamp()) % 60


def check_code(usage_key, code, now=None):
    """Accept a fresh code of this session; raise :class:`InvalidInput` for anything else."""
    minute_text, _dot, signature = str(code or "").partition(".")
    if not minute_text.isdigit() or len(minute_text) > 12 or not hmac.compare_digest(
            signature.encode(), _signature(usage_key, int(minute_text)).encode()):
        raise InvalidInput(_("This check-in code is not valid for this session."), field="code")
    age = minute_of(now or clock.now()) - int(minute_text)
    if age < 0 or age > MAX_AGE_MINUTES:
        raise InvalidInput(_("This check-in code has expired. Scan the code on the screen in the room again."),
                           field="code")


def qr_svg(url, title):
    """The QR code of ``url`` as inline SVG, drawn on the server (segno), with an accessible title."""
    svg = segno.make(url, error="m").svg_inline(scale=6, border=3, light="#fff", omitsize=True,
                                                svgclass="ll-qr-code")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
