"""The citizen's category picker: a dozen plain-language groups over the 44 classes of the standard, with the
words people use for them. Search shows the matching choices (never picks one silently); a suggestion comes
from the words typed and the kind of place the pin is on."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from civicgrid.cases.models import CaseClass


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    icon: str  # a symbol in citizens/icons.svg
    codes: tuple[str, ...]
    words: tuple[str, ...]  # what people call these problems, beyond the classes' own names


GROUPS = (
    Group("litter", _("垃圾与卫生"), "litter", ("E0102", "E0103", "E0104", "C0305", "E0113", "E0605", "E0115"),
          ("垃圾", "脏", "乱扔", "臭", "渣土", "苍蝇", "蚊子", "老鼠", "蟑螂", "污水", "垃圾桶", "保洁")),
    Group("toilet", _("公共厕所"), "toilet", ("C0301",), ("厕所", "公厕", "卫生间")),
    Group("road", _("道路与井盖"), "road", ("C0101", "C0102", "C0103", "C0104", "C0105", "C0106", "E0401", "C0212"),
          ("井盖", "坑", "塌陷", "路面", "护栏", "窨井", "下水道")),
    Group("light", _("路灯"), "light", ("C0118",), ("路灯", "灯不亮", "灯坏", "黑")),
    Group("parking", _("乱停车"), "parking", ("E0505", "E0506", "E0107", "E0598"),
          ("停车", "车", "电动车", "自行车", "单车", "僵尸车", "盲道")),
    Group("vending", _("占道经营"), "vending", ("E0501", "E0504", "E0510", "E0608", "E0507"),
          ("摆摊", "小摊", "占道", "烧烤", "堆放", "店外", "游商")),
    Group("ads", _("小广告与牌匾"), "ads", ("E0201", "E0204", "C0307", "C0501", "E0601"),
          ("小广告", "传单", "牛皮癣", "招牌", "广告", "宣传栏")),
    Group("building", _("违章搭建"), "building", ("E0101",), ("违建", "搭建", "棚", "违章")),
    Group("site", _("工地"), "site", ("E0302", "E0307", "E0312"), ("工地", "扬尘", "灰尘", "围挡", "渣土车", "施工")),
    Group("green", _("树木绿化"), "green", ("C0403",), ("树", "绿化", "草", "树枝")),
    Group("safety", _("楼道与消防"), "safety", ("E0607", "E0609"), ("楼道", "飞线", "充电", "消防", "通道")),
    Group("shop", _("店铺与市场"), "shop", ("E0602", "E0603", "E0604"), ("店", "健康证", "证照", "市场", "餐馆")),
    Group("civility", _("不文明行为与设施"), "civility", ("E0606", "E0610", "E0611"),
          ("不文明", "随地", "吐痰", "设施", "损坏", "坏了")),
)
OTHER = Group("other", _("其他问题"), "other", (), ())
# A pin on a place of this kind suggests these groups first.
PLACE_KIND_GROUPS = {
    "market": ("vending", "shop", "litter"), "shop": ("shop", "vending", "ads"), "mall": ("shop", "parking"),
    "compound": ("safety", "litter", "building"), "building": ("safety", "litter", "building"),
    "road": ("parking", "road", "light"), "back_lane": ("litter", "vending", "light"),
    "construction_site": ("site",), "river": ("litter",), "square": ("civility", "litter", "green"),
    "school_area": ("vending", "parking", "ads"), "toilet": ("toilet",), "station": ("parking", "civility"),
    "hospital": ("parking", "litter"),
}


def grouped(classes=None) -> list[tuple[Group, list[CaseClass]]]:
    """Every active class under its group; classes the groups do not name go to 其他问题."""
    classes = list(classes if classes is not None else CaseClass.objects.filter(active=True).order_by("code"))
    named = {code: group for group in GROUPS for code in group.codes}
    result = {group.key: (group, []) for group in (*GROUPS, OTHER)}
    for case_class in classes:
        result[named.get(case_class.code, OTHER).key][1].append(case_class)
    return [entry for entry in result.values() if entry[1]]


def search(text: str, classes=None) -> list[CaseClass]:
    """Classes matching the words, best first: a class's own name, then its group's words."""
    text = (text or "").strip()
    if not text:
        return []
    scored = []
    for group, members in grouped(classes):
        group_hit = any(word in text or text in word for word in group.words) or text in str(group.name)
        for case_class in members:
            own = text in case_class.minor_name or case_class.minor_name in text
            major = text in case_class.major_name
            score = 3 if own else 2 if group_hit else 1 if major else 0
            if score:
                scored.append((-score, case_class.code, case_class))
    return [c for _s, _c, c in sorted(scored, key=lambda item: (item[0], item[1]))]


def suggest(text: str = "", place_kind: str = "", classes=None, limit: int = 4) -> list[CaseClass]:
    """A few likely classes from the description and the kind of place the pin is on."""
    found = search(text, classes)[:limit] if text else []
    if len(found) < limit and place_kind in PLACE_KIND_GROUPS:
        by_key = {group.key: members for group, members in grouped(classes)}
        for key in PLACE_KIND_GROUPS[place_kind]:
            for case_class in by_key.get(key, [])[:2]:
                if case_class not in found and len(found) < limit:
                    found.append(case_class)
    return found
