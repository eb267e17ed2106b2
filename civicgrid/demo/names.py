"""Name pools for the demo district (浑南区). Deterministic: every choice goes through a seeded RNG."""

from __future__ import annotations

import random

STREETS = [
    "五三街道", "浑河站西街道", "浑河站东街道", "东湖街道", "白塔街道", "桃仙街道", "深井子街道", "祝家街道",
    "王滨街道", "高坎街道", "满堂街道", "李相街道", "汪家街道", "古城子街道", "营城子街道",
]

COMMUNITY_WORDS = [
    "和平", "幸福", "祥和", "丰乐", "瑞景", "金河", "新城", "锦绣", "朗月", "雅居", "翠湖", "天成", "嘉禾", "富民",
    "龙湾", "华府", "滨河", "南湖", "青桐", "明珠", "长青", "永安", "兴隆", "泰和", "广厦", "春晖", "桂园", "宏达",
    "枫林", "海韵", "凤鸣", "御景", "文萃", "书香", "怡景", "惠民", "振兴", "东升", "金域", "碧水",
]
COMMUNITY_SUFFIXES = ["", "东", "西", "南", "北"]

COMPOUND_TYPES = ["花园", "小区", "家园", "新村", "苑", "城", "府", "名都", "雅居", "公寓"]
OLD_COMPOUND_TYPES = ["小区", "新村", "宿舍", "家属院"]

ROAD_WORDS = [
    "浑南", "全运", "沈中", "营盘", "智慧", "创新", "文溯", "天赐", "新隆", "富民", "白塔", "金卡", "世纪", "高歌",
    "汇泉", "长白", "朗日", "彩霞", "南屏", "学城", "科普", "文化", "天坛", "奥体", "青年", "浑河", "五三", "泗水",
    "建设", "桃仙", "深井", "祝家", "王滨", "高坎", "满堂", "李相", "汪家", "古城", "营城", "东湖",
]
ROAD_TYPES = ["路", "大街", "街", "大道", "东路", "西路", "中路"]

RIVERS = ["浑河", "白塔堡河", "满堂河", "九龙河"]

MARKETS = ["祥瑞农贸市场", "凤祥农贸市场", "白塔农贸市场", "五三农贸市场", "桃仙农贸市场", "李相农贸市场"]

# The district's small-business (八小) list, in the order of the default category dictionary.
SHOP_CATEGORIES = {
    "small_restaurant": ("小餐饮", ["饭店", "面馆", "小吃", "饺子馆", "烧烤店", "快餐"]),
    "small_food_shop": ("小食品店", ["食品店", "便利店", "副食店", "熟食店"]),
    "small_salon": ("小美容美发", ["美发店", "理发店", "美容院"]),
    "small_hotel": ("小旅店", ["旅店", "宾馆", "客栈"]),
    "small_bathhouse": ("小浴室", ["浴池", "洗浴中心"]),
    "small_karaoke": ("小歌舞厅", ["KTV", "歌厅"]),
    "small_internet_cafe": ("小网吧", ["网吧", "网咖"]),
    "small_clinic": ("小诊所", ["诊所", "卫生所", "门诊部"]),
}
# How the 3,759 shops split across categories (restaurants and food shops dominate).
SHOP_WEIGHTS = [34, 24, 16, 7, 4, 4, 4, 7]

DEPARTMENTS = [
    "城市管理局", "住房和城乡建设局", "生态环境分局", "市场监督管理局", "卫生健康局", "公安分局", "交通警察大队",
    "教育局", "文化旅游和广播电视局", "商务局", "农业农村局", "水利局", "交通运输局", "民政局", "自然资源分局",
    "应急管理局", "消防救援大队", "财政局", "发展和改革局", "工业和信息化局", "科学技术局", "人力资源和社会保障局",
    "司法局", "审计局", "统计局", "医疗保障局", "退役军人事务局", "信访局", "行政审批局", "营商环境建设局",
    "城市管理行政执法局", "园林绿化中心", "环境卫生管理中心", "市政设施管理中心", "房产服务中心", "住房保障中心",
    "征收服务中心", "体育事业发展中心", "疾病预防控制中心", "卫生监督所", "爱国卫生运动委员会办公室",
    "区委宣传部", "区委组织部", "区委政法委", "区委网信办", "区文明办", "团区委", "区总工会", "区妇联", "区残联",
    "区红十字会", "区融媒体中心", "区档案馆", "区机关事务服务中心", "区数据局", "区供电分公司", "区供水公司",
    "区燃气公司", "区通信管理协调办公室",
]

LEADER_TITLES = ["区委书记", "区长", "区委副书记", "常务副区长", "副区长", "副区长", "副区长", "副区长",
                 "区委常委", "区委常委", "区委常委", "区人大常委会副主任", "区人大常委会副主任", "区政协副主席",
                 "区政协副主席"]

SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志军海燕鹏飞晓东立新春梅凤丹宇浩然雪")


def person_name(rng: random.Random) -> str:
    """A plausible Chinese name of two or three characters."""
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def phone(rng: random.Random) -> str:
    return rng.choice(["139", "138", "137", "135", "158", "186", "189", "131"]) + f"{rng.randrange(10**8):08d}"


def community_names(count: int) -> list[str]:
    """`count` distinct community names."""
    names = [w + s for s in COMMUNITY_SUFFIXES for w in COMMUNITY_WORDS]
    return [f"{n}社区" for n in names[:count]]
