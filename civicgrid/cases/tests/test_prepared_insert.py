"""The report path inserts its case and first event with PreparedInsert: the rows must be exactly what
Model.save() writes, a receiver must never be skipped, and database errors must surface as Django's."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save

from civicgrid.cases.choices import Source, State
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.core.db import PreparedInsert

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 11, 28, 2, 30, 15, 123456, tzinfo=dt.UTC)


def _case(world, number: str) -> Case:
    """A case with every kind of column set: text, floats, a JSON list, datetimes, booleans, foreign keys."""
    case = Case(number=number, source=Source.PUBLIC_REPORT, case_class=world["garbage"],
                criterion=world["garbage"].criteria.first(), description="  垃圾暴露  ", lng=123.41, lat=41.79,
                address="某路1号", area_class="A", urgency="urgent", reporter=world["users"]["public"],
                reporter_name="张三", reporter_contact="13800000000", state=State.REPORTED, version=1,
                responsible_unit=world["department"], routing_note="按类别", verify_due=MOMENT,
                reported_at=MOMENT, parked_remaining=1.5, review_flags=["far", "早于"], embargoed=True)
    case.set_region("210112001001001")
    return case


def _row(model, pk) -> dict:
    values = model.objects.filter(pk=pk).values().get()
    return {k: v for k, v in values.items() if k not in ("id", "number", "case_id")}


def test_a_prepared_insert_writes_the_row_save_writes(world):
    saved = _case(world, "A-1")
    saved.save()
    prepared = _case(world, "")
    with transaction.atomic():
        PreparedInsert(prepared, late=("number",)).execute(number="A-2")
    assert prepared.pk and prepared.pk != saved.pk and not prepared._state.adding
    assert Case.objects.get(pk=prepared.pk).number == "A-2"
    assert _row(Case, prepared.pk) == _row(Case, saved.pk)

    event = CaseEvent(case=prepared, seq=1, action="report", at=MOMENT, to_state=State.REPORTED,
                      data={"照片": [1, 2]}, actor=world["users"]["public"])
    PreparedInsert(event, late=("case",)).execute(case=saved)
    stored = CaseEvent.objects.get(pk=event.pk)
    assert stored.case_id == saved.pk and stored.data == {"照片": [1, 2]} and stored.at == MOMENT


def test_late_values_must_match_what_was_declared(world):
    with pytest.raises(ValueError):
        PreparedInsert(_case(world, ""), late=("no_such_field",))
    prepared = PreparedInsert(_case(world, ""), late=("number",))
    with pytest.raises(ValueError):
        prepared.execute()


def test_a_model_with_a_receiver_is_saved_the_ordinary_way(world):
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.number, created))

    post_save.connect(receiver, sender=Case, dispatch_uid="test-prepared-insert")
    try:
        PreparedInsert(_case(world, ""), late=("number",)).execute(number="B-1")
    finally:
        post_save.disconnect(dispatch_uid="test-prepared-insert", sender=Case)
    assert heard == [("B-1", True)]


def test_a_duplicate_number_is_an_integrity_error(world):
    _case(world, "C-1").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        PreparedInsert(_case(world, ""), late=("number",)).execute(number="C-1")
    assert Case.objects.filter(number="C-1").count() == 1


def _report(world, now, **kwargs):
    from civicgrid.cases.services import report_case

    lng, lat = world["point"]
    return report_case(world["users"]["gridworker"], case_class=world["garbage"], description="暴露垃圾",
                       lng=lng, lat=lat, now=now, **kwargs).case


def test_a_report_is_numbered_by_local_day_and_its_first_event_written_with_it(world):
    # 23:30 on 27 November in Beijing is still the 27th locally although UTC has reached the 28th's morning.
    late_evening = dt.datetime(2026, 11, 27, 15, 30, tzinfo=dt.UTC)
    first, second = _report(world, late_evening), _report(world, late_evening)
    next_day = _report(world, late_evening + dt.timedelta(hours=1))
    assert [first.number, second.number, next_day.number] == [
        "210112-20261127-00001", "210112-20261127-00002", "210112-20261128-00001"]
    stored = Case.objects.get(pk=first.pk)
    assert stored.number == first.number and stored.state == State.REPORTED
    assert list(first.events.values_list("seq", "action", "to_state")) == [(1, "report", State.REPORTED)]
    assert CaseEvent.objects.get(case=first).pk == first.events.get().pk


def test_numbers_outgrow_five_digits_without_losing_any(world):
    from civicgrid.cases.models import CaseCounter

    now = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)
    CaseCounter.objects.create(day=dt.date(2026, 11, 28), last=99_999)
    assert _report(world, now).number == "210112-20261128-100000"


def test_a_report_with_photos_links_them_to_its_first_event(world):
    from civicgrid.cases.photos import store_photo
    from civicgrid.cases.tests.conftest import jpeg, upload

    photo = store_photo(upload(jpeg()), world["users"]["gridworker"])
    case = _report(world, MOMENT, photos=[photo])
    assert list(case.events.get().photos.values_list("photo_id", "role")) == [(photo.pk, "before")]
