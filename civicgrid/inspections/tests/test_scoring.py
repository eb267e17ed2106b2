from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from civicgrid.inspections.scoring import item_score, total


@dataclass
class Item:
    points: Decimal
    deduction: Decimal
    cap: Decimal | None = None
    critical: bool = False

    @property
    def effective_cap(self):
        return min(self.cap, self.points) if self.cap is not None else self.points


D = Decimal


def test_pass_earns_the_points_and_na_is_left_out():
    assert item_score(Item(D(15), D(3)), "pass", 0) == D(15)
    assert item_score(Item(D(15), D(3)), "na", 0) is None


def test_failure_loses_deduction_per_finding_up_to_the_cap():
    item = Item(D(15), D(3), cap=D(10))
    assert item_score(item, "fail", 1) == D(12)
    assert item_score(item, "fail", 3) == D(6)
    assert item_score(item, "fail", 4) == D(5)  # 12 would exceed the cap of 10
    assert item_score(item, "fail", 40) == D(5)


def test_without_cap_the_points_are_the_floor():
    assert item_score(Item(D(15), D(3)), "fail", 9) == D(0)


def test_a_cap_above_the_points_cannot_make_a_score_negative():
    assert item_score(Item(D(5), D(4), cap=D(50)), "fail", 3) == D(0)


def test_failed_critical_item_earns_nothing():
    assert item_score(Item(D(20), D(1), critical=True), "fail", 1) == D(0)


def test_total_and_rate_exclude_not_applicable_items():
    a, b, c = Item(D(15), D(3)), Item(D(10), D(5)), Item(D(20), D(10), critical=True)
    score = total([(a, "fail", 2), (b, "pass", 0), (c, "na", 0)])
    assert (score.score, score.max_score, score.failed_items, score.critical_failed) == (D(19), D(25), 1, False)
    assert score.rate == 0.76
    assert total([(c, "fail", 1), (a, "pass", 0)]).critical_failed is True


def test_everything_not_applicable_has_no_rate():
    assert total([(Item(D(5), D(1)), "na", 0)]).rate is None


@given(points=st.integers(1, 50), deduction=st.integers(0, 20), cap=st.none() | st.integers(0, 80),
       findings=st.integers(1, 100))
def test_a_failed_item_scores_between_points_minus_cap_and_the_points(points, deduction, cap, findings):
    item = Item(D(points), D(deduction), None if cap is None else D(cap))
    earned = item_score(item, "fail", findings)
    assert D(0) <= earned <= D(points)
    assert earned >= D(points) - item.effective_cap
    assert earned == max(D(points) - min(item.effective_cap, D(deduction * findings)), D(0))
