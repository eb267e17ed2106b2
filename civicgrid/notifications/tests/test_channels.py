"""Each channel against a provider endpoint started by the test (a real HTTP server, not a mock of our code):
what is sent, how a refusal is retried and given up, quiet hours, and each person's choice of channels."""

import base64
import datetime as dt
import hashlib
import hmac
import json

import pytest
import time_machine
from django.core import mail

from civicgrid.cases.services import perform, report_case
from civicgrid.cases.tests.conftest import SH
from civicgrid.notifications.channels import AliyunSms
from civicgrid.notifications.models import Channel, Delivery, GroupRobot, Preference, Status
from civicgrid.notifications.services import RETRY_PAUSES, Message, send_due, to_citizen, to_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def aliyun(settings, provider):
    settings.NOTIFY_SMS_BACKEND = "aliyun"
    settings.SMS_ALIYUN_ACCESS_KEY_ID = "test-id"
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "test-secret"
    settings.SMS_ALIYUN_SIGN_NAME = "创城网格"
    settings.SMS_ALIYUN_ENDPOINT = provider.url
    settings.SMS_TEMPLATES = {"code": "SMS_100", "ack": "SMS_101"}
    return provider


def test_the_aliyun_signature_matches_the_providers_documented_example():
    """The worked example of Alibaba Cloud's "HTTP 协议及签名" page for SendSms."""
    query = {"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
             "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
             "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
             "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
             "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25"}
    assert AliyunSms.signature(query, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_an_sms_reaches_aliyun_signed_with_its_template_and_parameters(aliyun):
    aliyun.answers = [(200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "r1"})]
    [delivery] = to_citizen(Message(kind="code", body="验证码123456", params={"code": "123456"}, urgent=True),
                            phone="13800138000")
    assert send_due() == 1
    [request] = aliyun.requests
    query = request["query"]
    assert query["Action"] == "SendSms" and query["PhoneNumbers"] == "13800138000"
    assert query["SignName"] == "创城网格" and query["TemplateCode"] == "SMS_100"
    assert json.loads(query["TemplateParam"]) == {"code": "123456"}
    assert query["Signature"] == AliyunSms.signature(query, "test-secret")
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT and delivery.provider_reference == "900619746936498440^0"


def test_a_refused_sms_is_retried_with_growing_pauses_then_given_up(aliyun):
    aliyun.answers = [(400, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"})]
    [delivery] = to_citizen(Message(kind="ack", body="已收到", params={"number": "1"}, urgent=True), phone="13800138000")
    moment = dt.datetime(2026, 12, 1, 10, 0, tzinfo=SH)
    for attempt, pause in enumerate(RETRY_PAUSES, start=1):
        assert send_due(moment) == 0
        delivery.refresh_from_db()
        assert delivery.status == Status.FAILED and delivery.attempts == attempt
        assert delivery.last_error == "isv.BUSINESS_LIMIT_CONTROL: 触发流控"
        assert delivery.next_attempt_at == moment + pause
        assert send_due(moment + pause - dt.timedelta(seconds=1)) == 0 and len(aliyun.requests) == attempt
        moment += pause
    send_due(moment)
    delivery.refresh_from_db()
    assert delivery.status == Status.ABANDONED and len(aliyun.requests) == len(RETRY_PAUSES) + 1
    aliyun.answers = [(200, {"Code": "OK", "BizId": "b"})]
    assert send_due(moment + dt.timedelta(days=1)) == 0  # given up stays given up until the office resends


def test_a_kind_without_a_template_fails_with_the_reason(aliyun):
    [delivery] = to_citizen(Message(kind="rate", body="请评价", urgent=True), phone="13800138000")
    send_due()
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED and "SMS_TEMPLATES" in delivery.last_error and not aliyun.requests


def test_citizens_quiet_hours_defer_messages_but_not_codes(settings):
    settings.NOTIFY_CITIZEN_QUIET_HOURS = (dt.time(21), dt.time(8))
    with time_machine.travel(dt.datetime(2026, 12, 1, 23, 30, tzinfo=SH), tick=False):
        [late] = to_citizen(Message(kind="progress", body="已派遣"), phone="13800138000")
        [code] = to_citizen(Message(kind="code", body="验证码", urgent=True), phone="13800138000")
        assert send_due() == 1
    late.refresh_from_db()
    assert late.status == Status.DEFERRED and late.next_attempt_at == dt.datetime(2026, 12, 2, 8, 0, tzinfo=SH)
    with time_machine.travel(dt.datetime(2026, 12, 2, 8, 0, 1, tzinfo=SH), tick=False):
        assert send_due() == 1
    late.refresh_from_db()
    assert late.status == Status.SENT


def test_a_dispatch_reaches_each_handlers_chosen_channels_and_the_units_group_robots(world, provider, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    provider.answers = [(200, {"errcode": 0, "errmsg": "ok"})]
    handler = world["users"]["handler"]
    Preference.objects.create(user=handler, channels=["sms", "email"], phone="13600136000", email="h@example.org")
    GroupRobot.objects.create(unit=world["department"], provider="wecom", webhook_url=provider.url + "wecom?key=k")
    GroupRobot.objects.create(unit=world["department"], provider="dingtalk", secret="SEC-1",
                              webhook_url=provider.url + "robot/send?access_token=t")
    u = world["users"]
    lng, lat = world["point"]
    case = report_case(u["gridworker"], case_class=world["garbage"], description="垃圾", lng=lng, lat=lat).case
    perform(u["shift_leader"], case.number, "file")
    perform(u["dispatcher"], case.number, "dispatch")
    channels = sorted(Delivery.objects.filter(case_number=case.number, kind="dispatched")
                      .values_list("channel", flat=True))
    assert channels == sorted([Channel.INAPP, Channel.SMS, Channel.EMAIL, Channel.WECOM, Channel.DINGTALK])
    assert send_due() == 4
    assert Delivery.objects.filter(case_number=case.number, status=Status.SENT).count() == 5
    assert mail.outbox[0].to == ["h@example.org"] and case.number in mail.outbox[0].body
    wecom, dingtalk = sorted(provider.requests, key=lambda r: r["path"], reverse=True)
    assert wecom["path"] == "/wecom" and json.loads(wecom["body"])["text"]["content"].endswith(
        f"新派遣案件 {case.number}：暴露垃圾")
    assert json.loads(dingtalk["body"])["msgtype"] == "text"
    query = dingtalk["query"]
    expected = base64.b64encode(hmac.new(b"SEC-1", f"{query['timestamp']}\nSEC-1".encode(),
                                         hashlib.sha256).digest()).decode()
    assert query["access_token"] == "t" and query["sign"] == expected


def test_a_return_tells_the_dispatchers(world):
    u = world["users"]
    lng, lat = world["point"]
    case = report_case(u["gridworker"], case_class=world["garbage"], description="垃圾", lng=lng, lat=lat).case
    perform(u["shift_leader"], case.number, "file")
    perform(u["dispatcher"], case.number, "dispatch")
    perform(u["handler"], case.number, "return", note="不属于本单位职责")
    assert u["dispatcher"].notifications.filter(kind="returned", case=case).exists()
    assert Delivery.objects.filter(kind="returned", user=u["dispatcher"], channel=Channel.INAPP).exists()


def test_quiet_hours_of_a_staff_member_defer_their_sms(world):
    handler = world["users"]["handler"]
    Preference.objects.create(user=handler, channels=["sms"], phone="13600136000", quiet_start=dt.time(22),
                              quiet_end=dt.time(7))
    with time_machine.travel(dt.datetime(2026, 12, 1, 22, 15, tzinfo=SH), tick=False):
        rows = to_staff([handler], Message(kind="due_soon", body="临期"))
    sms = next(d for d in rows if d.channel == Channel.SMS)
    assert sms.status == Status.DEFERRED and sms.next_attempt_at == dt.datetime(2026, 12, 2, 7, 0, tzinfo=SH)


def test_two_runners_never_send_one_delivery_twice(aliyun):
    aliyun.answers = [(200, {"Code": "OK", "BizId": "x"})]
    to_citizen(Message(kind="code", body="c", params={"code": "1"}, urgent=True), phone="13800138000")
    assert send_due() + send_due() == 1 and len(aliyun.requests) == 1


def test_the_outbox_is_the_offices(world, client):
    to_citizen(Message(kind="ack", body="已收到您的反映"), phone="13800138000")
    client.force_login(world["users"]["dispatcher"])
    assert client.get("/notifications/outbox/").status_code == 403
    client.force_login(world["users"]["admin"])
    page = client.get("/notifications/outbox/?channel=sms").content.decode()
    assert "已收到您的反映" in page and "13800138000" in page


def test_each_person_chooses_their_channels(world, client):
    client.force_login(world["users"]["handler"])
    bad = client.post("/notifications/settings/", {"channels": ["sms"], "phone": ""})
    assert "选择短信时请填写手机号" in bad.content.decode()
    client.post("/notifications/settings/", {"channels": ["sms"], "phone": "13600136000",
                                             "quiet_start": "22:00", "quiet_end": "07:00"})
    preference = Preference.objects.get(user=world["users"]["handler"])
    assert preference.channels == ["sms"] and preference.quiet_end == dt.time(7)

