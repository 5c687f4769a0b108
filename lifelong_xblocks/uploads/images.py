"""Uploaded images are re-encoded: only the pixels survive, never EXIF (GPS position, camera,
owner) or anything glued to the file.  Orientation from EXIF is applied to the pixels first."""
import io

from PIL import Image, ImageOps, UnidentifiedImageError

from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _

MAX_PIXELS = 40_000_000      # 40 megapixels: phone photos are 12-50; larger is refused
FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def reencode(fileobj, content_type):
    """``(BytesIO of the clean image, width, height)``; :class:`InvalidInput` if unreadable."""
    fileobj.seek(0)
    try:
        with Image.open(fileobj) as original:
            if original.width * original.height > MAX_PIXELS:
                raise InvalidInput(_("The image is too large: at most {megapixels} megapixels.").format(
                    megapixels=MAX_PIXELS // 1_000_000), field="file")
            original.load()
            image = ImageOps.exif_transpose(original)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(_("The image could not be read; it may be damaged."), field="file") from None
    fmt = FORMATS[content_type]
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    out = io.BytesIO()
    options = {"JPEG": {"quality": 88, "optimize": True}, "PNG": {"optimize": True},
               "WEBP": {"quality": 85}}[fmt]
    image.save(out, fmt, **options)   # no exif=, no pnginfo=: nothing but pixels is written
    out.seek(0)
    return out, image.width, image.height
