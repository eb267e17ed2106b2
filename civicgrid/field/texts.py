"""The words the field app's script shows, translated on the server (the script has no catalogue of its own)."""

from django.utils.translation import gettext as _


def strings() -> dict[str, str]:
    return {
        "online": _("在线"), "offline": _("离线"), "syncing": _("同步中…"), "synced": _("已同步"),
        "sync_failed": _("同步未完成：%(reason)s"), "last_sync": _("上次同步 %(time)s"),
        "never_synced": _("尚未同步：请联网后点「同步」。"),
        "no_session": _("本设备尚未开始外勤会话：请联网后打开本页。"),
        "session_ended": _("外勤会话已结束，本机数据已清除。请重新登录。"), "sign_in": _("登录"),
        "other_account": _("本机保存的是另一个账号的数据，已清除。"),
        "my_cases": _("需要我处理的案件"), "my_tasks": _("今日检查任务"), "my_reports": _("我上报的未结案件"),
        "upcoming_tasks": _("未来7天的检查任务"), "nothing": _("暂无"),
        "due": _("处置时限 %(time)s"), "reported_at": _("上报于 %(time)s"),
        "located": _("已定位：%(lat)s, %(lng)s（±%(acc)s米）"), "locating": _("正在定位…"),
        "no_position": _("无法定位：请选择点位或网格。"),
        "need_class": _("请选择问题类别。"), "need_description": _("请填写问题描述。"),
        "need_position": _("没有位置：请允许定位，或选择点位或网格。"),
        "need_photo": _("请至少拍一张照片。"), "need_fail_photo": _("不合格项须拍照：%(item)s"),
        "need_note": _("请填写处置说明。"),
        "saved": _("已保存到待发送，联网后自动发送。"),
        "photo_added": _("照片 %(n)s 张"), "remove": _("移除"),
        "waiting": _("待发送"), "sending": _("发送中"), "sent": _("已发送"), "failed": _("发送失败"),
        "conflict": _("冲突"),
        "kind_report": _("上报"), "kind_inspection": _("检查"), "kind_handle": _("处置"),
        "resend": _("重发"), "edit": _("修改"), "discard": _("删除"),
        "discard_confirm": _("删除后这条记录和它的照片将不会发送。确定删除？"),
        "conflict_handle": _("该案件已被他人处置：现状态 %(state)s，您的处置未提交。"),
        "conflict_other": _("该案件的状态已变化：现状态 %(state)s，您的操作未提交。"),
        "case_sent": _("已生成案件 %(number)s"), "inspection_sent": _("检查已提交，得分 %(score)s，立案 %(cases)s 件"),
        "handled_sent": _("处置已提交：现状态 %(state)s"),
        "network_error": _("网络不通，稍后自动重试。"), "server_error": _("服务器错误（%(status)s），稍后重试。"),
        "pass": _("合格"), "fail": _("不合格"), "findings": _("问题处数"), "note": _("说明"),
        "chief": _("负责人"), "window": _("时段"), "place": _("点位"), "start_inspection": _("开始检查"),
        "inspection_of": _("检查：%(place)s"), "save_inspection": _("保存检查"),
        "case_not_cached": _("本机没有这个案件。"), "handle": _("处置"), "save_handle": _("保存处置"),
        "queued_for_case": _("本案件有一条处置在待发送中。"),
        "photos_of_case": _("案件照片"), "grid": _("网格"), "state": _("状态"),
        "captured": _("拍摄于 %(time)s"), "take_photo": _("拍照"), "photos_progress": _("照片 %(done)s/%(all)s 已上传"),
    }
