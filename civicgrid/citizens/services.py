"""What the public does to a case, one function per act, shared by the public pages, Open311 and the office's
pages: report, add an update, rate the outcome; and what the office does about it: review a rating, moderate,
block. Every change to a case is an event in its history (cases.services)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.cases.choices import Action, PhotoRole, Source, State
from civicgrid.cases.models import Case, CaseClass, CaseEvent, EventPhoto
from civicgrid.cases.photos import photos_for_step
from civicgrid.cases.services import notify, office_users, perform, record_stateless, report_case
from civicgrid.citizens.models import (
    Block,
    BlockKind,
    PhoneCode,
    PublicReport,
    Rating,
    Review,
    address_digest,
)
from civicgrid.core.scoping import is_office
from civicgrid.notifications.services import Message, to_citizen
from civicgrid.organizations.choices import Role
from civicgrid.territory import locator
from civicgrid.territory.models import Place

CODE_MINUTES = 10
UPDATES_PER_CASE_PER_DAY = 10
CODE_ATTEMPTS = 5
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(raw: str) -> str:
    """A mainland mobile number as 11 digits ("+86 138-0013-8000" → "13800138000"); ValidationError otherwise."""
    digits = re.sub(r"[\s\-()（）]", "", raw or "")
    digits = digits.removeprefix("+86").removeprefix("0086")
    if not MOBILE.match(digits):
        raise ValidationError({"phone": [_("请填写11位手机号码。")]})
    return digits


def _digest(phone: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def check_not_blocked(*, phone: str = "", user=None, client_address: str = "") -> None:
    checks = [(BlockKind.ADDRESS, address_digest(client_address))] if client_address else []
    if phone:
        checks.append((BlockKind.PHONE, phone))
    if user is not None and user.is_authenticated:
        checks.append((BlockKind.ACCOUNT, user.get_username()))
    for kind, value in checks:
        if Block.objects.filter(kind=kind, value=value, active=True).exists():
            raise PermissionDenied(_("该号码或账号因违反使用规定已被停止提交，如有异议请联系创城办。"))


def send_code(raw_phone: str, *, client_address: str) -> PhoneCode:
    """Text a six-digit code to a phone (at most PHONE_CODES_PER_PHONE_PER_HOUR an hour, one a minute)."""
    phone = normalise_phone(raw_phone)
    check_not_blocked(phone=phone, client_address=client_address)
    now = timezone.now()
    recent = PhoneCode.objects.filter(phone=phone, created_at__gte=now - dt.timedelta(hours=1))
    if recent.filter(created_at__gte=now - dt.timedelta(minutes=1)).exists():
        raise ValidationError({"phone": [_("验证码已发送，请1分钟后再试。")]})
    per_address = PhoneCode.objects.filter(client_digest=address_digest(client_address),
                                           created_at__gte=now - dt.timedelta(hours=1)).count()
    if recent.count() >= settings.PHONE_CODES_PER_PHONE_PER_HOUR or per_address >= 4 * settings.PHONE_CODES_PER_PHONE_PER_HOUR:
        raise ValidationError({"phone": [_("验证码发送过于频繁，请1小时后再试。")]})
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        row = PhoneCode.objects.create(phone=phone, digest=_digest(phone, code),
                                       client_digest=address_digest(client_address),
                                       expires_at=now + dt.timedelta(minutes=CODE_MINUTES))
        to_citizen(Message(kind="code", body=_("【创城网格】您的验证码是%(code)s，%(m)d分钟内有效。请勿告诉他人。") % {
            "code": code, "m": CODE_MINUTES}, params={"code": code}, urgent=True), phone=phone)
    return row


def verify_code(raw_phone: str, code: str) -> str:
    """The phone number, once `code` is the latest unused one sent to it; ValidationError otherwise."""
    phone = normalise_phone(raw_phone)
    now = timezone.now()
    with transaction.atomic():
        row = (PhoneCode.objects.select_for_update().filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
               .order_by("-created_at").first())
        if row is None or row.attempts >= CODE_ATTEMPTS:
            raise ValidationError({"code": [_("验证码已失效，请重新获取。")]})
        if not hmac.compare_digest(row.digest, _digest(phone, (code or "").strip())):
            PhoneCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
            raise ValidationError({"code": [_("验证码不正确。")]})
        PhoneCode.objects.filter(pk=row.pk).update(used_at=now)
    return phone


def account_phone(user) -> str:
    """The verified phone behind a citizen's account (made by `citizen_account`), or ""."""
    if user is None or not user.is_authenticated:
        return ""
    name = user.get_username()
    return name[1:] if name.startswith("m") and MOBILE.match(name[1:]) else ""


def reporter_phone(user, *, contact: str, phone: str = "", code: str = "") -> str:
    """The phone a report is followed by: none when anonymous; the signed-in citizen's own; or a phone proved by
    the code just texted to it."""
    if contact != "phone":
        return ""
    own = account_phone(user)
    if own and (not phone or normalise_phone(phone) == own):
        return own
    if not phone:
        raise ValidationError({"phone": [_("请填写手机号，或选择匿名提交。")]})
    if not code:
        raise ValidationError({"code": [_("请填写短信验证码。")]})
    return verify_code(phone, code)


def report_by_link(number: str, secret: str) -> PublicReport | None:
    """The report a tracking link names: its number and its secret, compared in constant time."""
    found = PublicReport.objects.select_related("case", "case__case_class").filter(case__number=number).first()
    if found is None or not hmac.compare_digest(found.secret.encode(), (secret or "").encode()):
        return None
    return found


def citizen_account(phone: str):
    """The account of a verified phone, made on first sign-in with the public's role only."""
    from civicgrid.organizations.models import Grant

    User = get_user_model()
    user, created = User.objects.get_or_create(username=f"m{phone}")
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Grant.objects.create(user=user, role=Role.PUBLIC)
    return user


def in_words(location: locator.Location) -> str:
    """Where a point is, as a citizen reads it: street, community, grid."""
    return "".join(r.name for r in (location.street, location.community, location.grid) if r is not None)


def where(lat, lng) -> locator.Location:
    """Check a reporter's point; ValidationError with a message a citizen understands."""
    if lat in (None, "") or lng in (None, ""):
        raise ValidationError({"location": [_("请在地图上标出问题的位置：允许定位、拖动地图上的标记，或输入地址后选择。")]})
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        raise ValidationError({"location": [_("位置无法识别，请在地图上重新标出。")]}) from None
    found = locator.locate(lng, lat)
    if not found.inside:
        raise ValidationError({"location": [_("该位置不在本区范围内。本平台只受理本区的问题，请把标记拖到问题所在处；"
                                              "其他地区的问题请拨打12345热线。")]})
    return found


def _check_rate(*, phone: str, client_address: str) -> None:
    since = timezone.now() - dt.timedelta(days=1)
    if phone and PublicReport.objects.filter(phone=phone, created_at__gte=since).count() \
            >= settings.PUBLIC_REPORTS_PER_PHONE_PER_DAY:
        raise ValidationError({"phone": [_("该手机号今天提交的反映已达上限，请明天再试。")]})
    if client_address and PublicReport.objects.filter(client_digest=address_digest(client_address),
                                                      created_at__gte=since).count() \
            >= settings.PUBLIC_REPORTS_PER_ADDRESS_PER_DAY:
        raise ValidationError({"__all__": [_("您所在网络今天提交的反映已达上限，请明天再试或拨打12345热线。")]})


def submit_report(*, case_class: CaseClass, description: str, lat, lng, address: str = "",
                  place: Place | None = None, uploads=(), phone: str = "", user=None,
                  client_address: str = "") -> PublicReport:
    """A citizen's report: blocked or too frequent senders are refused, the point must lie in the district,
    the photos are stored first; the case and its tracking row are written together, then the reporter is
    told its number and link."""
    account = user if user is not None and user.is_authenticated else None
    check_not_blocked(phone=phone, user=account, client_address=client_address)
    _check_rate(phone=phone, client_address=client_address)
    point = where(lat, lng)
    if len(uploads) > 9:
        raise ValidationError({"photos": [_("最多9张照片。")]})
    with photos_for_step(account, uploads=uploads) as photos, transaction.atomic():
        # The tracking row must exist with the case (a case nobody can follow is a lost report), so this
        # channel wraps intake's own transaction; public reports are few next to the staff's.
        result = report_case(account, case_class=case_class, description=description, lng=point.lng,
                             lat=point.lat, address=address or (place.address or place.name if place else ""),
                             place=place, source=Source.PUBLIC_REPORT, reporter_contact=phone, photos=photos)
        report = PublicReport.objects.create(case=result.case, phone=phone, user=account,
                                             client_digest=address_digest(client_address) if client_address else "")
        tell_reporter(report, "ack", _("【创城网格】已收到您的反映，编号%(n)s。进展可查看：%(link)s"))
    return report


def tracking_path(report: PublicReport) -> str:
    from django.urls import reverse

    return reverse("public-track", args=[report.case.number, report.secret])


def tracking_link(report: PublicReport) -> str:
    return settings.SITE_URL.rstrip("/") + tracking_path(report)


def tell_reporter(report: PublicReport, kind: str, template: str) -> None:
    """A text message to the report's phone, or to its account's phone; anonymous reporters follow their link."""
    phone = report.phone or account_phone(report.user)
    if not phone:
        return
    number = report.case.number
    link = tracking_link(report)
    to_citizen(Message(kind=kind, body=template % {"n": number, "link": link}, case_number=number,
                       params={"number": number, "link": link}), phone=phone)


def add_update(case: Case, *, text: str, photos: list = (), name: str = "", contact: str = "",
               via: str = "public", actor=None) -> CaseEvent:
    """A citizen adds words or photos to a case (its reporter on the tracking page, or an Open311 client):
    a stateless event whose photos count as the problem's (处置前)."""
    text = (text or "").strip()
    if not text and not photos:
        raise ValidationError({"description": [_("请填写补充内容或附上照片。")]})
    if case.state in (State.REJECTED, State.VOIDED, State.MERGED):
        raise ValidationError({"description": [_("该反映已不再处理，请重新提交新的反映。")]})
    recent = case.events.filter(action=Action.CITIZEN_UPDATE, at__gte=timezone.now() - dt.timedelta(days=1)).count()
    if recent >= UPDATES_PER_CASE_PER_DAY:  # whoever holds the link may add; nobody may flood a case
        raise ValidationError({"description": [_("该反映今天的补充已达上限，请明天再试。")]})
    return record_stateless(case, Action.CITIZEN_UPDATE, actor, note=text[:4000], photos=photos,
                            role=PhotoRole.BEFORE, data={"via": via, "name": name[:100], "contact": contact[:100]})


def may_rate(report: PublicReport) -> bool:
    return report.case.state == State.CLOSED and not report.rating


def rate(report: PublicReport, rating: str, comment: str = "", *, now: dt.datetime | None = None) -> PublicReport:
    """The reporter's 满意 / 基本满意 / 不满意 on a closed case, once. 不满意 within CITIZEN_REVIEW_WINDOW_DAYS of
    closure sends the case to the office for review."""
    if rating not in Rating.values:
        raise ValidationError({"rating": [_("请选择满意、基本满意或不满意。")]})
    now = now or timezone.now()
    with transaction.atomic():
        report = PublicReport.objects.select_for_update().select_related("case").get(pk=report.pk)
        if report.rating:
            raise ValidationError({"rating": [_("您已评价过该反映。")]})
        case = report.case
        if case.state != State.CLOSED:
            raise ValidationError({"rating": [_("反映办结后才能评价。")]})
        in_window = case.closed_at and now - case.closed_at <= dt.timedelta(days=settings.CITIZEN_REVIEW_WINDOW_DAYS)
        review = Review.PENDING if rating == Rating.DISSATISFIED and in_window else Review.NONE
        report.rating, report.comment, report.rated_at, report.review = rating, comment.strip()[:500], now, review
        report.save(update_fields=["rating", "comment", "rated_at", "review"])
        record_stateless(case, Action.FEEDBACK, None, note=report.comment, now=now, data={
            "rating": rating, "rating_label": str(Rating(rating).label), "review": review})
        if review == Review.PENDING:
            notify(office_users(), case, "review", _("举报人对案件 %(n)s 的处理不满意，请复核：%(c)s") % {
                "n": case.number, "c": report.comment[:100] or _("（未填写意见）")})
    return report


def review(report: PublicReport, user, *, reopen: bool, note: str) -> PublicReport:
    """The office decides on a 不满意: reopen the case (handled again) or keep it closed, with its reason."""
    if not is_office(user):
        raise PermissionDenied(_("只有创城办可以复核群众评价。"))
    if not note.strip():
        raise ValidationError({"note": [_("请填写复核意见。")]})
    with transaction.atomic():
        report = PublicReport.objects.select_for_update().select_related("case").get(pk=report.pk)
        if report.review != Review.PENDING:
            raise ValidationError({"review": [_("该评价不在待复核状态。")]})
        if reopen:
            perform(user, report.case.number, Action.REOPEN, note=note)
        else:
            record_stateless(report.case, Action.REVIEW_KEEP, user, note=note)
        report.review, report.reviewed_at = (Review.REOPENED if reopen else Review.KEPT), timezone.now()
        report.save(update_fields=["review", "reviewed_at"])
    return report


def moderate(case: Case, user, *, hide_text: bool | None = None, hide_photo: str = "", show_photo: str = "",
             note: str = "") -> PublicReport:
    """The office hides (or shows again) a public report's text or one of its photos on the public side; the
    original stays on the case, and the decision is an event."""
    if not is_office(user):
        raise PermissionDenied(_("只有创城办可以处理公开内容。"))
    for uid in filter(None, (hide_photo, show_photo)):
        if not _is_uuid(uid) or not EventPhoto.objects.filter(event__case=case, photo__uid=uid).exists():
            raise ValidationError({"photo": [_("该照片不属于这件案件。")]})
    with transaction.atomic():
        report, _created = PublicReport.objects.select_for_update().get_or_create(case=case)
        hidden = set(report.hidden_photos)
        if hide_photo:
            hidden.add(hide_photo)
        if show_photo:
            hidden.discard(show_photo)
        if hide_text is not None:
            report.text_hidden = hide_text
        report.hidden_photos = sorted(hidden)
        report.save(update_fields=["text_hidden", "hidden_photos"])
        record_stateless(case, Action.MODERATE, user, note=note, data={
            "text_hidden": report.text_hidden, "hidden_photos": report.hidden_photos})
    return report


def unblock(user, block_id: int) -> bool:
    """The office lifts a block (kept, inactive, for the record)."""
    return bool(Block.objects.restrict(user, "change").filter(pk=block_id, active=True).update(active=False))


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def block(user, *, kind: str, value: str, reason: str) -> Block:
    if not is_office(user):
        raise PermissionDenied(_("只有创城办可以封禁。"))
    if kind == BlockKind.PHONE:
        value = normalise_phone(value)
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写封禁原因。")]})
    found, _created = Block.objects.update_or_create(kind=kind, value=value.strip(), defaults={
        "reason": reason.strip()[:200], "created_by": user, "active": True})
    return found
