"""Writing, rendering and publishing briefings; the same functions serve the pages, the API and the demo."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from civicgrid import audit
from civicgrid.briefings import figures as figure_service
from civicgrid.briefings.models import Briefing, BriefingStatus
from civicgrid.core.exceptions import Conflict
from civicgrid.core.scoping import require_office, scope_for
from civicgrid.territory.models import Region

# {{包保区领导人数}} (or the key, {{leaders_contracted}}): the figure with its unit; {{….数字}} or {{….number}}: the
# number alone.
PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s.]+)(\.number|\.数字)?\s*\}\}")
SECTION = re.compile(r"^[一二三四五六七八九十]+、")
SENTENCE_END = re.compile(r"(?<=[。；！？])")

# The manner of the district's progress report (the seed article), with every figure a placeholder.
DEFAULT_TEMPLATE = """一、监管全覆盖
实行专项包保机制，{{包保区领导人数}}区级领导包{{包保街道数}}街道办事处。全体区级领导与{{职能部门数}}职能部门坚持“晨检夜查”，期间开展晨检夜查{{晨检夜查次数}}，第三方暗访点位{{暗访点位数}}。
二、公益广告全覆盖
全区{{小区数}}小区累计设置社区宣传栏{{社区宣传栏数}}、宣传板{{宣传板数}}。累计动员区内志愿者、社区工作者、机关干部、学生等共计{{动员人数}}，发放各类宣传材料{{发放宣传材料数}}，网络累计浏览量达到{{网络浏览量}}。
三、形成管理长效机制
对区内的{{升级改造农贸市场数}}农贸市场升级改造，{{设快检室市场数}}市场设置了食品质量快检室，由市场经营主体出资{{经营主体出资额}}，市、区两级“以奖代补”{{以奖代补资金}}进行自主改造。对“八小”行业{{八小经营户数}}进行全面监管，{{签订责任状户数}}店主签订责任状。卫计部门为业户办理健康证{{办理健康证数}}，配发防蚊灯等物品{{配发物品数}}。
四、老旧小区改造
购置封闭式垃圾桶{{配发垃圾桶数}}，安装到区内{{配发垃圾桶小区数}}老旧小区；组织对{{清理整治小区数}}老旧小区进行清理，共出动{{出动人次}}，各类车辆{{出动车辆台次}}，清理小区内的垃圾{{清理垃圾量}}，清理杂物堆{{清理杂物堆数}}、小招贴{{清理小招贴数}}，平整杂草{{平整杂草面积}}，清理小开荒{{清理小开荒数}}，清理各类僵尸车辆{{清理僵尸车辆数}}。共对{{路面修补小区数}}老旧小区路面展开修补，对{{绿化补植小区数}}小区进行绿化补植，对{{提升改造街路数}}街路进行提升改造，对{{外立面修补面积}}陈旧的楼体外立面进行修补粉饰。
五、城乡接合部整治
组织多部门联合执法，累计拆除违建{{拆除违建处数}}{{拆除违建面积}}。
六、问题办理
期间受理各类问题{{受理问题数}}，结案{{结案数}}，按期结案率{{按期结案率}}。"""


def figure_key(name: str) -> str:
    """The figure a placeholder names: its Chinese name or its key (an unknown name is returned as it is)."""
    return figure_service.BY_NAME.get(name, name)


def placeholders(template: str) -> list[str]:
    """The keys of the figures a text uses, in order."""
    return [figure_key(m.group(1)) for m in PLACEHOLDER.finditer(template)]


def check_template(template: str) -> None:
    unknown = sorted({m.group(1) for m in PLACEHOLDER.finditer(template)
                      if figure_key(m.group(1)) not in figure_service.BY_KEY})
    if unknown:
        raise ValidationError({"template": [_("未知的数字：%s（请从数字清单中插入）") % "、".join(unknown)]})


def _fill(text: str, values: dict[str, dict], html: bool) -> str:
    """Replace the placeholders of one piece of text (escaped first when html)."""
    out, last = [], 0
    for match in PLACEHOLDER.finditer(text):
        before = text[last:match.start()]
        out.append(escape(before) if html else before)
        figure = values.get(figure_key(match.group(1)))
        if figure is None:
            shown = f"【{figure_service.PLACEHOLDER_NAMES.get(match.group(1), match.group(1))}】"
            out.append(escape(shown) if html else shown)
        else:
            shown = figure["number"] if match.group(2) else figure["text"]
            out.append(f'<a class="figure" data-key="{figure["key"]}" href="{escape(figure["link"])}">{escape(shown)}</a>'
                       if html else shown)
        last = match.end()
    tail = text[last:]
    out.append(escape(tail) if html else tail)
    return "".join(out)


CLAUSE_END = re.compile(r"(?<=[，、；。！？])")


def _say_what_is_absent(template: str, values: dict[str, dict]) -> str:
    """A clause whose figure is 0 and declares what to say instead (`when_zero`) says that: a period before any
    contract reads "尚无区级领导包保街道办事处", not "0名区级领导包0个街道办事处"."""
    absent = {key: figure_service.BY_KEY[key].when_zero for key, value in values.items()
              if key in figure_service.BY_KEY and figure_service.BY_KEY[key].when_zero and value.get("value") == 0}
    if not absent:
        return template
    lines = []
    for line in template.splitlines():
        clauses = CLAUSE_END.split(line)
        for index, clause in enumerate(clauses):
            said = next((absent[k] for k in placeholders(clause) if k in absent), None)
            if said:
                ending = clause[-1] if clause and clause[-1] in "，、；。！？" else ""
                clauses[index] = said + ending
        lines.append("".join(clauses))
    return "\n".join(lines)


def render_html(template: str, values: dict[str, dict]) -> str:
    """Sections become headings, other lines paragraphs; each figure links to the records behind it."""
    parts = []
    template = _say_what_is_absent(template, values)
    for line in (line.strip() for line in template.splitlines()):
        if not line:
            continue
        tag = "h2" if SECTION.match(line) else "p"
        parts.append(f"<{tag}>{_fill(line, values, html=True)}</{tag}>")
    return "\n".join(parts)


def render_text(template: str, values: dict[str, dict]) -> list[tuple[bool, str]]:
    """(is a heading, text) per non-empty line."""
    template = _say_what_is_absent(template, values)
    return [(bool(SECTION.match(line)), _fill(line, values, html=False))
            for line in (line.strip() for line in template.splitlines()) if line]


def sentences(template: str, values: dict[str, dict]) -> dict[str, str]:
    """For each figure, the first rendered sentence of the template it appears in."""
    found: dict[str, str] = {}
    for line in _say_what_is_absent(template, values).splitlines():
        for sentence in SENTENCE_END.split(line.strip()):
            for key in placeholders(sentence):
                found.setdefault(key, _fill(SECTION.sub("", sentence), values, html=False))
    return found


def region_within_reach(user, code: str) -> Region:
    """The region a user asks figures for: one that overlaps their territory — within it, or containing it
    (the district, their street) — or any region for those whose reach is not territorial (the office, a
    department). Another street's figures would only be zeros in the user's scope: 404, as for a row."""
    region = Region.objects.filter(code=code).first()
    if region is None or not scope_for(user, "view").overlaps_region(region.code):
        raise Http404(f"No region {code} within your reach.")
    return region


def figure_values(user, region: str, start: dt.date, end: dt.date, keys=None) -> dict[str, dict]:
    return {k: f.as_dict() for k, f in figure_service.compute(user, region, start, end, keys).items()}


def figures_with_sentences(user, region: str, start: dt.date, end: dt.date, template: str = DEFAULT_TEMPLATE):
    """Every figure with the sentence it appears in (the figures API)."""
    values = figure_values(user, region, start, end)
    where = sentences(template, values)
    return [{**value, "sentence": where.get(key, "")} for key, value in values.items()]


# -- drafts and publication ---------------------------------------------------------------------------------
def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError({"end": [_("结束日期不能早于开始日期。")]})


def create_briefing(actor, *, title: str, region, start: dt.date, end: dt.date, template: str = "") -> Briefing:
    """A new draft (the campaign office); without a text, the default one in the manner of the district report."""
    require_office(actor, _("起草简报"))
    _check_period(start, end)
    template = template or DEFAULT_TEMPLATE
    check_template(template)
    return Briefing.objects.create(title=title.strip(), region=region, start=start, end=end, template=template,
                                   created_by=actor if actor and actor.is_authenticated else None)


def update_briefing(actor, briefing: Briefing, **changes) -> Briefing:
    """Edit a draft; a published briefing is never changed (make a correction instead)."""
    require_office(actor, _("修改简报"))
    if briefing.published:
        raise Conflict(_("已发布的简报不能修改，请生成更正版本。"))
    for name in ("title", "region", "start", "end", "template"):
        if name in changes and changes[name] is not None:
            setattr(briefing, name, changes[name])
    _check_period(briefing.start, briefing.end)
    check_template(briefing.template)
    with transaction.atomic():
        if not Briefing.objects.filter(pk=briefing.pk, status=BriefingStatus.DRAFT).exists():
            raise Conflict(_("已发布的简报不能修改，请生成更正版本。"))
        briefing.save()
    return briefing


def publish(actor, briefing: Briefing) -> Briefing:
    """Freeze the text and the figures as they are now; publishing twice is refused."""
    require_office(actor, _("发布简报"))
    values = figure_values(actor, briefing.region.code, briefing.start, briefing.end, placeholders(briefing.template))
    html = render_html(briefing.template, values)
    with transaction.atomic():
        if not Briefing.objects.filter(pk=briefing.pk, status=BriefingStatus.DRAFT).update(
                status=BriefingStatus.PUBLISHED, published_at=timezone.now(), published_by=actor,
                published_html=html, published_figures=list(values.values())):
            raise Conflict(_("该简报已发布。"))
    audit.record("publication", actor=actor, target=f"briefing:{briefing.pk}")
    briefing.refresh_from_db()
    return briefing


def make_public(actor, briefing: Briefing) -> Briefing:
    """Let citizens and place chiefs read a published briefing (staff read every published one)."""
    require_office(actor, _("向公众公开简报"))
    if not Briefing.objects.filter(pk=briefing.pk, status=BriefingStatus.PUBLISHED, public_at__isnull=True).update(
            public_at=timezone.now()):
        raise Conflict(_("只有已发布且尚未公开的简报可以向公众公开。"))
    audit.record("publication", actor=actor, target=f"briefing:{briefing.pk}", audience="public")
    briefing.refresh_from_db()
    return briefing


def correct(actor, briefing: Briefing) -> Briefing:
    """A new draft from a published briefing (the published one stays as it was)."""
    require_office(actor, _("更正简报"))
    return Briefing.objects.create(title=briefing.title, region=briefing.region, start=briefing.start,
                                   end=briefing.end, template=briefing.template, previous=briefing,
                                   created_by=actor if actor and actor.is_authenticated else None)


def values_for(briefing: Briefing, user) -> dict[str, dict]:
    """The figures a briefing shows: frozen once published, live (in the viewer's scope) while a draft."""
    if briefing.published:
        return {f["key"]: f for f in briefing.published_figures}
    return figure_values(user, briefing.region.code, briefing.start, briefing.end, placeholders(briefing.template))


def html_for(briefing: Briefing, user) -> str:
    return briefing.published_html if briefing.published else render_html(briefing.template,
                                                                            values_for(briefing, user))


def preview(actor, briefing: Briefing, template: str):
    """The draft as it would print with an edited text, not saved: the office's editor only."""
    require_office(actor, _("预览简报草稿"))
    check_template(template)
    return document(briefing, actor, template=template)


def document(briefing: Briefing, user, template: str | None = None):
    """The briefing as an official document (GB/T 9704, core.officialdoc): title, period, sections as
    headings, paragraphs with the figures, the issuing office and the date. `template`: an edited text not yet
    saved (the editor's preview)."""
    from civicgrid.core.officialdoc import OfficialDocument
    from civicgrid.territory.services import issuing_office

    document = OfficialDocument()
    state = _("（草稿）") if not briefing.published else ""
    document.title(briefing.title,
                   f"{briefing.region.name} · {briefing.start:%Y年%m月%d日}—{briefing.end:%Y年%m月%d日}{state}")
    if template is None or briefing.published:
        template, values = briefing.template, values_for(briefing, user)
    else:
        values = figure_values(user, briefing.region.code, briefing.start, briefing.end, placeholders(template))
    for heading, text in render_text(template, values):
        if heading:
            document.heading(text)
        else:
            document.paragraph(text)
    day = timezone.localtime(briefing.published_at).date() if briefing.published_at else timezone.localdate()
    document.sign(issuing_office(), day)
    return document


def docx(briefing: Briefing, user) -> bytes:
    audit.record("export", actor=user, target=f"briefing:{briefing.pk}")
    return document(briefing, user).bytes()
