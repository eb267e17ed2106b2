"""Channels as adapters: each sends one Delivery and returns the provider's reference, or raises SendFailed.

SMS goes through the backend `settings.NOTIFY_SMS_BACKEND` names: "outbox" (the demo and development: the
message is only recorded, and the office reads it on the outbox page), "console" (also printed to the log), or
"aliyun" (Alibaba Cloud SMS, its HTTP API signed as its documentation prescribes). Group robots post the JSON
their webhooks take; e-mail uses Django's mail.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings
from django.core.mail import send_mail

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


class SendFailed(Exception):
    """The provider refused or could not be reached; the delivery is retried later."""


def send(delivery) -> str:
    from civicgrid.notifications.models import Channel

    adapter = {Channel.INAPP: _inapp, Channel.SMS: _sms, Channel.EMAIL: _email, Channel.WECOM: wecom,
               Channel.DINGTALK: dingtalk}[delivery.channel]
    return adapter(delivery)


def _inapp(delivery) -> str:
    return "inapp"  # the in-app row is written with the event itself (cases.Notification); this records it


def _email(delivery) -> str:
    try:
        send_mail(subject=delivery.body[:60], message=delivery.body, from_email=None,
                  recipient_list=[delivery.address])
    except OSError as exc:
        raise SendFailed(str(exc)) from exc
    return "email"


def _sms(delivery) -> str:
    backend = settings.NOTIFY_SMS_BACKEND
    if backend == "aliyun":
        return AliyunSms.from_settings().send(delivery.address, delivery.kind, delivery.params)
    if backend == "console":
        log.warning("SMS to %s: %s", delivery.address, delivery.body)
    return backend  # "outbox": recorded only; the office reads it on the outbox page


class AliyunSms:
    """Alibaba Cloud SMS (dysmsapi, SendSms), with the RPC signature: HMAC-SHA1 over the sorted,
    percent-encoded query (https://help.aliyun.com/document_detail/101343.html)."""

    def __init__(self, *, access_key_id: str, access_key_secret: str, sign_name: str, templates: dict[str, str],
                 endpoint: str = "https://dysmsapi.aliyuncs.com/"):
        self.access_key_id, self.access_key_secret = access_key_id, access_key_secret
        self.sign_name, self.templates, self.endpoint = sign_name, templates, endpoint

    @classmethod
    def from_settings(cls) -> AliyunSms:
        return cls(access_key_id=settings.SMS_ALIYUN_ACCESS_KEY_ID,
                   access_key_secret=settings.SMS_ALIYUN_ACCESS_KEY_SECRET,
                   sign_name=settings.SMS_ALIYUN_SIGN_NAME, templates=settings.SMS_TEMPLATES,
                   endpoint=settings.SMS_ALIYUN_ENDPOINT)

    def send(self, phone: str, kind: str, params: dict) -> str:
        template = self.templates.get(kind)
        if not template:
            raise SendFailed(f"no SMS template configured for {kind} (SMS_TEMPLATES)")
        query = self.signed_query({
            "Action": "SendSms", "Version": "2017-05-25", "RegionId": "cn-hangzhou", "PhoneNumbers": phone,
            "SignName": self.sign_name, "TemplateCode": template,
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
        })
        answer = _json_call(urllib.request.Request(f"{self.endpoint}?{urllib.parse.urlencode(query)}"))
        if answer.get("Code") != "OK":
            raise SendFailed(f"{answer.get('Code')}: {answer.get('Message')}")
        return answer.get("BizId", "")

    def signed_query(self, params: dict[str, str]) -> dict[str, str]:
        query = {
            **params, "AccessKeyId": self.access_key_id, "Format": "JSON", "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0", "SignatureNonce": uuid.uuid4().hex,
            "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        query["Signature"] = self.signature(query, self.access_key_secret)
        return query

    @staticmethod
    def signature(query: dict[str, str], secret: str, method: str = "GET") -> str:
        canonical = "&".join(f"{_pct(k)}={_pct(v)}" for k, v in sorted(query.items()) if k != "Signature")
        to_sign = f"{method}&{_pct('/')}&{_pct(canonical)}"
        digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
        return base64.b64encode(digest).decode()


def _pct(value: str) -> str:
    return urllib.parse.quote(str(value), safe="~")


def _json_call(request: urllib.request.Request) -> dict:
    """Call a provider and read its JSON answer (providers answer errors as JSON too, often with HTTP 400)."""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(65536)
    except urllib.error.HTTPError as exc:
        body = exc.read(65536)
    except (urllib.error.URLError, OSError) as exc:
        raise SendFailed(f"provider unreachable: {exc}") from exc
    try:
        answer = json.loads(body)
    except ValueError as exc:
        raise SendFailed(f"provider answered something other than JSON: {body[:100]!r}") from exc
    if not isinstance(answer, dict):
        raise SendFailed("provider answered an unexpected JSON value")
    return answer


def _post_robot(url: str, payload: dict) -> str:
    answer = _json_call(urllib.request.Request(
        url, data=json.dumps(payload, ensure_ascii=False).encode(), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"}))
    if answer.get("errcode") != 0:
        raise SendFailed(f"{answer.get('errcode')}: {answer.get('errmsg')}")
    return "robot"


def wecom(delivery) -> str:
    """WeChat Work group robot: {"msgtype": "text", "text": {"content": …}}."""
    return _post_robot(delivery.address, {"msgtype": "text", "text": {"content": delivery.body}})


def dingtalk(delivery) -> str:
    """DingTalk group robot; with a secret, the URL carries timestamp and sign (HMAC-SHA256 of
    "timestamp\\nsecret", as its "加签" setting requires)."""
    from civicgrid.notifications.models import GroupRobot

    url = delivery.address
    robot = GroupRobot.objects.filter(webhook_url=url, provider="dingtalk").only("secret").first()
    secret = robot.secret if robot else ""
    if secret:
        timestamp = str(int(time.time() * 1000))
        sign = base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(),
                                         hashlib.sha256).digest()).decode()
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"timestamp": timestamp, "sign": sign})
    return _post_robot(url, {"msgtype": "text", "text": {"content": delivery.body}})
