"""The shipped scoring schemes (domain.md §2), loaded by civicgrid.assessment.defaults and editable in the admin."""

TIER_DEDUCTIONS = {  # who found the problem: city office, district office, a bureau
    "city": {"per_problem": 0.3, "late": 1, "again": 2},
    "district": {"per_problem": 0.2, "late": 0.5, "again": 1},
    "bureau": {"per_problem": 0.1, "late": 0.3, "again": 0.6},
    "cap": 20,
}
# Achievements from the works ledger: per illegal structure demolished, and per demolition of ≥ 300 m².
BONUSES = {"demolished": 5, "large_demolitions": 2, "cap": 10}

PRESETS = [
    ("chengdu", "成都金牛模式（加权综合）", {
        "kind": "weighted",
        "terms": [
            {"indicator": "disposal_rate", "weight": 30},
            {"indicator": "on_time_disposal_rate", "weight": 20},
            {"indicator": "rework_rate", "weight": 20, "inverse": True},
            {"indicator": "overdue_pending_rate", "weight": 20, "inverse": True},
            {"indicator": "extension_rate", "weight": 10, "inverse": True},
        ],
        "deductions": TIER_DEDUCTIONS,
        "bonuses": BONUSES,
        "grades": [[90, "A"], [75, "B"], [60, "C"], [40, "D"], [0, "E"]],
        "min_cases": 30,
    }, "日常处置率×30 + 按期处置率×20 + (1−返工率)×20 + (1−超期待处置率)×20 + (1−延期率)×10，再按发现层级扣分。"),
    ("jinhua", "金华模式（达标计分）", {
        "kind": "thresholds",
        "terms": [
            {"indicator": "on_time_closure_rate", "threshold": 0.70, "points": 50, "per_point_below": 1},
            {"indicator": "closure_rate", "threshold": 0.90, "points": 20, "per_point_below": 1},
            {"indicator": "on_time_disposal_rate", "threshold": 0.90, "points": 15, "per_point_below": 1},
            {"indicator": "rework_rate", "threshold": 0.95, "points": 15, "per_point_below": 1, "inverse": True},
        ],
        "deductions": TIER_DEDUCTIONS,
        "bonuses": BONUSES,
        "grades": [[90, "A"], [75, "B"], [60, "C"], [40, "D"], [0, "E"]],
        "min_cases": 30,
    }, "按期结案率≥70%得50分、每低1个百分点扣1分；结案率≥90%得20分；按期处置率≥90%得15分；返工率≤5%得15分；再按发现层级扣分。"),
]
