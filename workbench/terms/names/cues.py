"""The language of news around names: titles, credits, speech verbs, and words that end a name.

Only lists live here; :mod:`workbench.terms.names.find_persons` and
:mod:`workbench.terms.names.find_places` use them.
"""

from __future__ import annotations

#: Titles written before a name (主席单迎庆, 主任邹云燕, 省长王伟中), longest first when matched.
TITLES_BEFORE = (
    "党组书记", "副书记", "书记", "副主席", "主席", "副主任", "主任", "副会长", "会长", "秘书长",
    "副部长", "部长", "副省长", "省长", "副市长", "市长", "副县长", "县长", "副区长", "区长", "镇长", "乡长",
    "村长", "厅长", "局长", "处长", "科长", "副院长", "院长", "副校长", "校长", "所长", "站长", "馆长",
    "社长", "总编辑", "主编", "总经理", "经理", "董事长", "理事长", "主播", "副教授", "教授", "研究员",
    "医生", "老师", "律师", "法官", "代表", "委员", "发言人", "大使", "副总理", "总理", "外长",
    "国务委员", "主持人", "队长", "负责人", "创始人", "传承人", "志愿者", "社工", "院士", "工程师",
    "总监", "总裁", "首席执行官", "村民", "居民", "店主", "农民", "女士", "先生",
)
#: Titles written after a name (习近平总书记, 李四教授).
TITLES_AFTER = ("总书记", "同志", "主席", "总理", "教授", "院士", "先生", "女士", "书记", "委员长")

#: Credits before a reporter's or photographer's name.
CREDITS = ("本报记者", "本报通讯员", "特约记者", "见习记者", "全媒体记者", "记者", "通讯员", "实习生", "摄影")

#: Words that may follow a name: after them the name has ended (说, 表示, 介绍 ...).
FOLLOW_WORDS = (
    "表示", "介绍", "指出", "认为", "告诉", "强调", "透露", "坦言", "感慨", "回忆", "解释", "建议",
    "提出", "谈到", "主持", "出席", "会见", "当选", "担任", "带领", "深有", "难掩", "笑着", "一行", "同志",
    "等人", "说道", "称赞", "表态", "发自", "报道", "摄影", "供图", "介绍说", "希望", "呼吁", "直言",
    "补充", "总结", "分析", "评价", "进一步", "率团", "率队", "正在", "已经", "一直", "也是", "就是",
)
FOLLOW_CHARS = frozenset("说称讲为是在等和与及也就还都对的了向从同率被将已曾正把让给以")
#: Speech verbs for the weakest cue: a short name between punctuation and the verb.
SPEECH_VERBS = ("表示", "介绍", "指出", "认为", "告诉", "强调", "说")
#: Frequent words that can look like a surname + given name after a title.
NOT_NAMES = frozenset(
    ["大家", "我们", "他们", "她们", "你们", "自己", "一起", "一行", "本人", "同志", "等人", "表示", "介绍", "工作", "要求", "指出", "代表", "委员", "主任", "主席", "书记", "会长", "部长", "专家", "群众", "姐妹", "妇女", "干部", "领导", "成员", "组织", "单位", "全体", "各位", "一道", "朋友"]
)

#: Characters before an administrative generic that show it is not part of a place name.
DETERMINERS = frozenset("全本该各我此外两三每一几多个邻这那其他某诸")
#: Two-character words ending in a generic character that are not place names.
NOT_PLACE_WORDS = frozenset(
    ["城市", "超市", "股市", "都市", "上市", "门市", "夜市", "集市", "黑市", "闹市", "街市", "菜市", "楼市", "车市", "全市", "城区", "郊区", "山区", "牧区", "林区", "矿区", "灾区", "老区", "特区", "小区", "片区", "街区", "校区", "展区", "市区", "辖区", "地区", "大区", "禁区", "误区", "盲区", "专区", "分区", "湾区", "景区", "园区", "社区", "城镇", "乡镇", "重镇", "古镇", "小镇", "集镇", "市镇", "名镇", "坐镇", "家乡", "故乡", "异乡", "他乡", "老乡", "城乡", "下乡", "返乡", "回乡", "思乡", "同乡", "梦乡", "水乡", "之乡", "原乡", "农村", "乡村", "山村", "渔村", "邻村", "同村", "进村", "驻村", "入村", "困村", "范村", "名村", "古村", "强村", "富村", "整村", "外省", "邻省", "两省", "强省", "大省", "行省", "节省", "反省", "郡县", "州县", "市县", "省市", "区县", "县市", "镇村", "乡村", "街道"]
)
#: A generic followed by these characters is the start of another word (市场, 村民, 区域 ...).
NOT_AFTER_GENERIC = frozenset(
    ["市场", "市民", "市值", "市面", "市井", "区域", "区别", "区分", "区间", "区块", "县城", "县域", "村民", "村庄", "村落", "村里", "村干", "村级", "村委", "乡村", "乡镇", "乡亲", "乡土", "乡音", "乡情", "乡愁", "乡贤", "镇定", "镇静", "镇压", "镇守", "省份", "省略", "省力", "省钱", "省心", "省级", "市级", "县级", "区级", "镇级", "乡级", "街道", "街道上", "街道里", "街道中", "省长", "市长", "县长", "区长", "镇长", "乡长", "村长"]
)
#: Characters that end the walk back from a generic to the start of a place name.
PLACE_STOPS = frozenset(
    "的了在和与及对到从向为是将把被给由于等同跟以或而并且也都就还又再很最更已之其此该各"
    "省市县区镇乡村"
)
#: Everyday verbs often written right before a place name (走进金峰镇, 来自吉安市).
VERBS_BEFORE_PLACES = frozenset(
    ["走进", "来到", "来自", "位于", "地处", "前往", "赶赴", "奔赴", "深入", "走访", "考察", "调研", "派往", "返回", "回到", "发自", "联合", "组织", "成立", "设立", "组建", "新建", "建立", "举办", "承办", "主办", "落户", "扎根"]
)
