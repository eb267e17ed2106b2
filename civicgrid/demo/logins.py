"""The demo logins (created only in demo mode), printed by `make run`."""

DEMO_PASSWORD = "demo"

# username → (role label, where the grant sits) — the public contract of the demo.
DEMO_LOGINS = [
    ("admin", "创城办管理员", "全区（超级用户）"),
    ("leader", "区领导", "包保第一个街道"),
    ("acceptor", "受理员", "全区"),
    ("shift_leader", "值班长", "全区"),
    ("dispatcher", "派遣员", "全区"),
    ("handler", "部门处置人员", "城市管理局（市容环境）"),
    ("street", "街道工作人员", "第一个街道"),
    ("community", "社区工作人员", "该街道第一个社区"),
    ("gridworker", "网格员", "该社区第一个网格"),
    ("inspector", "监督员", "全区"),
    ("assessor", "第三方评估员", "全区"),
    ("chief", "店长", "该社区的一家店铺"),
    ("public", "公众", "无辖区"),
]


def describe_logins() -> str:
    """A small table for the terminal."""
    lines = ["Demo logins (password for all: demo) / 演示账号（密码均为 demo）:"]
    lines += [f"  {username:<13} {role} — {scope}" for username, role, scope in DEMO_LOGINS]
    return "\n".join(lines)
