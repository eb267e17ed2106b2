"""Evidence photos: checked by content, measured, hashed, thumbnailed, and stripped of EXIF for the public."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from civicgrid.cases.models import Case, Photo
from civicgrid.core.exceptions import QuotaExceeded
from civicgrid.core.tasks import enqueue
from civicgrid.core.validators import supported_date
from civicgrid.organizations.access import is_public_only
from civicgrid.territory.crs import distance_m
from civicgrid.workcal.calendar import tz

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PHOTOS_PER_STEP = 9
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATETIME_ORIGINAL, _DATETIME = 36867, 306


def check_photo_quota(user, adding: int = 1) -> None:
    """Refuse `adding` more photos when the account would pass its quota for the last 24 hours.

    Nobody's photos (the server's own, e.g. the demo) are not counted."""
    if user is None or not user.is_authenticated:
        return
    quota = settings.PHOTO_DAILY_QUOTA_PUBLIC if is_public_only(user) else settings.PHOTO_DAILY_QUOTA
    since = timezone.now() - dt.timedelta(hours=24)
    uploaded = Photo.objects.filter(uploaded_by=user, uploaded_at__gte=since).count()
    if uploaded + adding > quota:
        raise QuotaExceeded({"photos": [_("24小时内最多上传 %(quota)d 张照片，已上传 %(uploaded)d 张，请稍后再试。") % {
            "quota": quota, "uploaded": uploaded}]})


def store_photo(upload, user, *, captured_at=None, captured_at_point=None) -> Photo:
    """Validate an uploaded file and keep it with its derivatives; raises ValidationError with a clear reason.
    `captured_at` and `captured_at_point` (lat, lng): what the device recorded when the photo was taken (the field
    app resizes photos, which drops their EXIF); the photo's own EXIF wins when it has them."""
    check_photo_quota(user)
    try:
        captured_at = plausible_capture_time(captured_at)
    except ValidationError as error:
        raise ValidationError({"taken_at": error.messages}) from None
    return _store(_checked(upload), user, captured_at, captured_at_point)


def _checked(upload) -> bytes:
    """The upload's bytes, once they are known to be an acceptable photo (size, format, pixels)."""
    data = upload.read()
    limit = settings.PHOTO_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(_("照片不能超过 %(mb)d MB（此文件 %(size).1f MB）。") % {
            "mb": limit // 1048576, "size": len(data) / 1048576})
    _open(data)
    return data


def _store(data: bytes, user, captured_at=None, captured_at_point=None) -> Photo:
    image = _open(data)
    exif = image.getexif()
    taken_at = _taken_at(exif) or captured_at
    gps = _gps(exif) or captured_at_point
    image = ImageOps.exif_transpose(image)
    ext = FORMATS[image.format] if image.format else FORMATS[_open(data).format]
    photo = Photo(sha256=hashlib.sha256(data).hexdigest(), perceptual_hash=dhash(image),
                  width=image.width, height=image.height, taken_at=taken_at,
                  gps_lat=gps[0] if gps else None, gps_lng=gps[1] if gps else None, uploaded_by=user)
    name = photo.uid.hex
    # The original (with its GPS) is stored under a name of its own that no public address reveals.
    photo.file.save(f"{secrets.token_hex(16)}.{ext}", ContentFile(data), save=False)
    public = _encode(image, max_side=2048)
    photo.public_file.save(f"{name}.jpg", ContentFile(public), save=False)
    if settings.CELERY_BROKER_URL:
        # A worker draws the thumbnail after the upload commits; until then the public copy stands in for it.
        photo.save()
        enqueue("civicgrid.cases.photos.make_thumbnail", photo.pk)
    else:
        photo.thumbnail.save(f"{name}.jpg", ContentFile(_encode(image, max_side=320)), save=False)
        photo.save()
    return photo


def make_thumbnail(photo_id: int) -> None:
    """Draw a photo's thumbnail from its public copy (a background task; idempotent)."""
    photo = Photo.objects.filter(pk=photo_id, thumbnail="").first()
    if photo is None:
        return
    with photo.public_file.open("rb") as source:
        image = Image.open(io.BytesIO(source.read()))
        image.load()
    photo.thumbnail.save(f"{photo.uid.hex}.jpg", ContentFile(_encode(image, max_side=320)), save=False)
    Photo.objects.filter(pk=photo.pk, thumbnail="").update(thumbnail=photo.thumbnail.name)


def collect_photos(user, photo_ids=(), uploads=()) -> list[Photo]:
    """Photos for one step: ids of photos the same user uploaded before, then inline uploads (at most 9)."""
    ids = [str(i) for i in photo_ids]
    if len(ids) + len(uploads) > MAX_PHOTOS_PER_STEP:
        raise ValidationError({"photos": [_("每一步最多9张照片。")]})
    found = {str(p.uid): p for p in Photo.objects.filter(uid__in=ids, uploaded_by=user)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError({"photo_ids": [_("未知照片：%s") % "、".join(missing)]})
    # The whole step's uploads are counted and judged before any is stored, so a refused step leaves no stray
    # photos behind. They are stored before the step itself (report_case, perform), which owns its transaction.
    check_photo_quota(user, len(uploads))
    checked = [_checked(upload) for upload in uploads]
    return [found[i] for i in ids] + [_store(data, user) for data in checked]


@contextlib.contextmanager
def photos_for_step(user, photo_ids=(), uploads=()):
    """The photos of one step (`collect_photos`), for a step that owns its transaction: when the step is
    refused, the uploads stored for it are removed again, so a refused step leaves no stray photos behind
    (nor uses up the quota)."""
    photos = collect_photos(user, photo_ids, uploads)
    stored = photos[len(photo_ids):]
    try:
        yield photos
    except BaseException:
        discard(stored)
        raise


def discard(photos: list[Photo]) -> None:
    """Remove photos no record refers to: their files from the storage, then their rows."""
    for photo in photos:
        for field in (photo.file, photo.public_file, photo.thumbnail):
            if field:
                field.delete(save=False)
    Photo.objects.filter(pk__in=[p.pk for p in photos], event_links__isnull=True).delete()


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:  # a header claiming far more pixels than any camera takes
        raise ValidationError(_("照片像素过大（上限 %(max)d 百万像素）。") % {
            "max": settings.PHOTO_MAX_PIXELS // 1_000_000}) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(_("文件不是可识别的图片：只接受 JPEG、PNG 或 WebP。")) from None
    if image.format not in FORMATS:
        raise ValidationError(_("不支持 %(fmt)s 格式：只接受 JPEG、PNG 或 WebP。") % {"fmt": image.format})
    pixels = image.width * image.height
    if pixels > settings.PHOTO_MAX_PIXELS:
        raise ValidationError(_("照片像素过大（%(mp).0f 百万像素，上限 %(max)d）。") % {
            "mp": pixels / 1e6, "max": settings.PHOTO_MAX_PIXELS // 1_000_000})
    try:
        image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("图片文件已损坏或被截断。")) from None
    return image


def _encode(image: Image.Image, max_side: int) -> bytes:
    """A JPEG copy without any metadata (EXIF, GPS) — what the public and thumbnails see."""
    copy = image.convert("RGB")
    copy.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    copy.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _taken_at(exif) -> dt.datetime | None:
    raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    try:
        # EXIF time is the camera's wall clock; phones here keep Beijing time.
        taken = dt.datetime.strptime(str(raw).strip(), "%Y:%m:%d %H:%M:%S").replace(tzinfo=tz()) if raw else None
        return plausible_capture_time(taken)
    except (ValueError, ValidationError):
        return None  # an unset or wrong camera clock: the photo has no capture time


# A device's clock may run a little ahead; more than this is a wrong clock, not a photo from the future.
CAPTURE_CLOCK_SLACK = dt.timedelta(days=1)


def plausible_capture_time(value: dt.datetime | None) -> dt.datetime | None:
    """A capture time the evidence checks can use: within the dates the product computes with, and not later
    than now beyond a clock's slack. A year 341 once came back in the local zone's mean time (+08:05:43),
    which is no valid RFC 3339 time."""
    if value is None:
        return None
    supported_date(timezone.localtime(value, tz()).date())
    if value > timezone.now() + CAPTURE_CLOCK_SLACK:
        raise ValidationError(_("拍摄时间晚于当前时间，请检查设备时钟。"), code="future")
    return value


def _gps(exif) -> tuple[float, float] | None:
    gps = exif.get_ifd(_GPS_IFD)
    try:
        lat = _degrees(gps[2]) * (-1 if gps.get(1) == "S" else 1)
        lng = _degrees(gps[4]) * (-1 if gps.get(3) == "W" else 1)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    return lat, lng


def _degrees(value) -> float:
    d, m, s = (float(x) for x in value)
    return d + m / 60 + s / 3600


def dhash(image: Image.Image) -> str:
    """A 64-bit difference hash: near-identical pictures differ in a few bits."""
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = small.tobytes()  # one byte per pixel in mode "L"
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (pixels[row * 9 + col] > pixels[row * 9 + col + 1])
    return f"{bits:016x}"


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


@dataclass
class Flag:
    photo: str
    kind: str
    message: str

    def as_dict(self) -> dict:
        return {"photo": self.photo, "kind": self.kind, "message": self.message}


def review_flags(case, after: list[Photo], before: list[Photo]) -> list[Flag]:
    """Reasons to look twice at an "after" photo: taken far away, before the "before" photo, or the same picture."""
    flags = []
    earliest_before = min((p.taken_at for p in before if p.taken_at), default=None)
    for photo in after:
        if photo.gps_lat is not None:
            away = float(distance_m(case.lng, case.lat, photo.gps_lng, photo.gps_lat))
            if away > settings.PHOTO_MAX_DISTANCE_METERS:
                flags.append(Flag(str(photo.uid), "far", _("处置后照片拍摄于距案件 %(m).0f 米处") % {"m": away}))
        if earliest_before and photo.taken_at and photo.taken_at < earliest_before:
            flags.append(Flag(str(photo.uid), "earlier", _("处置后照片的拍摄时间早于处置前照片")))
        for previous in before:
            if hamming(photo.perceptual_hash, previous.perceptual_hash) <= settings.PHOTO_SAME_HASH_BITS:
                flags.append(Flag(str(photo.uid), "same", _("处置后照片与处置前照片几乎相同")))
                break
    return flags


# -- who may see a photo -----------------------------------------------------------------------------------
class Variant:
    THUMBNAIL = "thumb"
    PUBLIC = "public"  # EXIF stripped, at most 2048 px
    ORIGINAL = "original"  # as uploaded, with its EXIF and GPS: staff only

    ALL = (THUMBNAIL, PUBLIC, ORIGINAL)


# Records a photo can be evidence of. Each is asked whether the user may see a record holding the photo, through
# that record's own restrict(); apps above cases (inspections, ledgers) add theirs in ready(), so this module
# never imports them.
_owners: list[Callable] = []


def register_photo_owner(may_see: Callable) -> None:
    """`may_see(user, photo) -> bool`: the user may see a record of this kind that holds the photo."""
    if may_see not in _owners:
        _owners.append(may_see)


def _via_cases(user, photo: Photo) -> bool:
    return Case.objects.restrict(user, "view").filter(events__photos__photo=photo).exists()


register_photo_owner(_via_cases)


def may_see_photo(user, photo: Photo, variant: str) -> bool:
    """The same rule as the records the photo belongs to.

    Staff get every variant of the photos of records their scope reaches, and nothing else. Citizens and
    anonymous Open311 readers get the public copy and the thumbnail of what the public face lists (and of
    their own reports), never the original. The uploader always sees their own photo.
    """
    authenticated = user is not None and user.is_authenticated
    if authenticated and photo.uploaded_by_id == user.pk:
        return True
    if authenticated and not is_public_only(user):
        return any(may_see(user, photo) for may_see in _owners)
    if variant == Variant.ORIGINAL:
        return False
    if authenticated and any(may_see(user, photo) for may_see in _owners):
        return True
    return Case.objects.publicly_listed().filter(events__photos__photo=photo).exists()


def photo_file(photo: Photo, variant: str):
    """The stored file of a variant, and its content type."""
    if variant == Variant.THUMBNAIL and not photo.thumbnail:
        variant = Variant.PUBLIC  # the background thumbnail is not drawn yet
    field = {Variant.THUMBNAIL: photo.thumbnail, Variant.PUBLIC: photo.public_file,
             Variant.ORIGINAL: photo.file}[variant]
    extension = field.name.rsplit(".", 1)[-1].lower()
    return field, {"png": "image/png", "webp": "image/webp"}.get(extension, "image/jpeg")


def photo_url(request, photo: Photo, variant: str) -> str:
    """Where a photo is served (the permission-checked view), absolute when the request is known."""
    from django.urls import reverse

    path = reverse("photo", args=[photo.uid, variant])
    return request.build_absolute_uri(path) if request is not None else path
