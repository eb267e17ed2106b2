"""The reporter hears of their case: dispatch, closure (with the satisfaction question) and a refusal with
its reason. The acknowledgement is sent by `submit_report` itself."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from civicgrid.cases.choices import Action
from civicgrid.cases.signals import case_changed

MESSAGES = {
    Action.DISPATCH: ("progress", _("【创城网格】您反映的问题（编号%(n)s）已派至责任单位处理。进展：%(link)s")),
    Action.CLOSE: ("rate", _("【创城网格】您反映的问题（编号%(n)s）已办结，请评价处理结果（满意/基本满意/不满意）：%(link)s")),
    Action.REJECT: ("closed", _("【创城网格】您反映的问题（编号%(n)s）不予受理，原因见：%(link)s")),
    Action.VOID: ("closed", _("【创城网格】您反映的问题（编号%(n)s）不予受理，原因见：%(link)s")),
    Action.MERGE: ("closed", _("【创城网格】您反映的问题（编号%(n)s）已与同一问题合并处理，详见：%(link)s")),
    Action.REOPEN: ("progress", _("【创城网格】根据您的评价，问题（编号%(n)s）已重新交办处理。进展：%(link)s")),
}


@receiver(case_changed, dispatch_uid="citizens-tell-reporter")
def _tell_reporter(sender, *, case, event, **kwargs):
    from civicgrid.citizens.models import PublicReport
    from civicgrid.citizens.services import tell_reporter

    if event.action not in MESSAGES:
        return
    report = PublicReport.objects.filter(case=case).select_related("case").first()
    if report is not None:
        kind, template = MESSAGES[event.action]
        tell_reporter(report, kind, str(template))
