"""Photos kept across a form that is shown again (a validation error, a duplicate warning).

A browser cannot refill a file input, so a form that comes back with an error would lose the
photo the person just took. Instead, the photos of a refused submission are stored once under
`pending/` and the form carries signed tokens naming them (hidden inputs, with a thumbnail next
to each); the next submission turns the tokens back into files. This works without JavaScript
and the photo is uploaded only once, which matters on a phone's data plan.

A token is signed with the owner (the user's pk, or the anonymous visitor's session) and
expires after `KEEP_SECONDS`; a forged, foreign or expired token is ignored. At most
PHOTO_MAX_PER_REQUEST photos are kept for one form, each passing the photo service's header
check (bytes, type, sides, pixels, frames: nothing is decoded for a refused file); the
thumbnail is made once, when the photo is kept, so showing the form again decodes nothing.
Files left by forms that were never submitted again are removed when later ones are kept.
"""

import base64
import secrets
from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from .services import PhotoRefused, check_upload

KEEP_SECONDS = 24 * 3600
FOLDER = "pending"
SALT = "apps.photos.pending"
FIELD = "kept_photos"  # the hidden inputs' name


def owner_of(request) -> str:
    """Whose photos these are: the signed-in user, or this anonymous visitor's session (so one
    resident's kept photo is never shown to, or attached by, another)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return str(user.pk)
    if not request.session.session_key:
        request.session.save()
    return f"public:{request.session.session_key}"


def max_kept() -> int:
    """As many photos as one submission may carry (the photo service's PHOTO_MAX_PER_REQUEST)."""
    return settings.PHOTO_MAX_PER_REQUEST


def _is_photo(upload) -> bool:
    """The photo service's header check: no pixel of a refused file is decoded."""
    try:
        check_upload(upload)
    except PhotoRefused:
        return False
    return True


def _purge_expired() -> None:
    try:
        _, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    limit = timezone.now() - timedelta(seconds=KEEP_SECONDS)
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (FileNotFoundError, OSError):
            continue


def _thumbnail(data: bytes) -> bytes | None:
    try:
        with Image.open(BytesIO(data)) as image:
            image.draft("RGB", (160, 160))  # JPEG: decode at 1/2..1/8 scale where that is enough
            image.thumbnail((160, 160))
            small = ImageOps.exif_transpose(image)
            buffer = BytesIO()
            small.convert("RGB").save(buffer, "JPEG", quality=70)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return None
    return buffer.getvalue()


def keep_uploads(uploads, *, owner: str, room: int | None = None) -> list[str]:
    """Store up to `room` of the photos among `uploads` (anything else is dropped: the form says
    why when it is submitted), each with its thumbnail, and return one signed token for each."""
    room = max_kept() if room is None else room
    tokens = []
    for upload in uploads:
        if len(tokens) >= room:
            break
        if not upload or not _is_photo(upload):
            continue
        data = upload.read()
        thumb = _thumbnail(data)
        if thumb is None:
            continue
        if not tokens:
            _purge_expired()
        name = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}", ContentFile(data))
        default_storage.save(f"{name}.thumb", ContentFile(thumb))
        tokens.append(signing.dumps({"o": owner, "n": name}, salt=SALT))
    return tokens


def _name(token: str, owner: str) -> str | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=KEEP_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    name = str(data.get("n", ""))
    if data.get("o") != owner or not name.startswith(f"{FOLDER}/") or ".." in name:
        return None
    if not default_storage.exists(name):
        return None
    return name


def valid_tokens(tokens, *, owner: str) -> list[str]:
    """`tokens` without duplicates and without any that are forged, foreign, expired or gone."""
    seen, kept = set(), []
    limit = max_kept()
    for token in list(tokens)[: limit * 2]:
        if len(kept) >= limit:
            break
        if token and token not in seen and _name(token, owner):
            seen.add(token)
            kept.append(token)
    return kept


def load_kept(tokens, *, owner: str) -> list[File]:
    """The kept photos as files, ready for the same services as fresh uploads."""
    files = []
    for token in valid_tokens(tokens, owner=owner):
        with default_storage.open(_name(token, owner), "rb") as handle:
            files.append(ContentFile(handle.read(), name="photo.jpg"))
    return files


def discard(tokens, *, owner: str) -> None:
    """Remove the kept files once the submission that used them has succeeded."""
    for token in tokens:
        name = _name(token, owner)
        if name:
            default_storage.delete(name)
            if default_storage.exists(f"{name}.thumb"):
                default_storage.delete(f"{name}.thumb")


def previews(tokens, *, owner: str) -> list[dict]:
    """For the form: each token with its small thumbnail, made when the photo was kept, as an
    inline data: URL (so no page or URL serves the pending files)."""
    shown = []
    for token in valid_tokens(tokens, owner=owner):
        try:
            with default_storage.open(f"{_name(token, owner)}.thumb", "rb") as handle:
                data = base64.b64encode(handle.read()).decode()
        except (FileNotFoundError, OSError, TypeError):
            continue
        shown.append({"token": token, "src": f"data:image/jpeg;base64,{data}"})
    return shown
