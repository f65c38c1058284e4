"""Small JPEG thumbnails of uploaded photos, for PDFs (embedded: WeasyPrint then never
fetches a file over HTTP, where it would need the user's session)."""

from __future__ import annotations

import base64
import io
from typing import IO

THUMB_SIZE = (320, 240)


def thumbnail_data_uri(fileobj: IO[bytes], *, size: tuple[int, int] = THUMB_SIZE) -> str | None:
    """A `data:image/jpeg;base64,…` thumbnail, or None when the file cannot be read."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(fileobj) as opened:
            # Phones store the turn as a tag: apply it, or the thumbnail lies on its side.
            image: Image.Image = ImageOps.exif_transpose(opened)
            image.thumbnail(size)
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")
