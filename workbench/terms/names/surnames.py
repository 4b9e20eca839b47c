"""Chinese surnames: the common ones, the compound ones, and the readings of polyphonic ones.

Sources of the readings: the surname entries of CC-CEDICT (``surname Shan`` for 单, ``surname Ou``
for 区 ...) and GB/T 28039-2011's rule that a surname is read as a surname, not as the common word.
Where a surname has two readings in use (乐 Yue / Le, 查 Zha / Cha, 盖 Ge / Gai, 覃 Qin / Tan,
尉 Yu / Wei), the first is proposed, the second is kept as an alternative and the rendering is
marked uncertain.
"""

from __future__ import annotations

#: The common single-character surnames (the names detector wants one of these first).
COMMON = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩"
    "佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权帅屠"
    "豆朴盖练廉禹井祖漆巴丰支卿狄计索宣晋相初门云容敬扈晁芮普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭"
    "况那宿鲜印逯隆茹诸战慕危银亢嵇哈湛宾戎勾茅揭尉冶斯束檀衣阴昝智幸奉衡富尧闭"
)

#: Two-character surnames and their pinyin (written as one word: Ouyang, Sima).
COMPOUND = {
    "欧阳": "Ouyang",
    "司马": "Sima",
    "上官": "Shangguan",
    "诸葛": "Zhuge",
    "东方": "Dongfang",
    "皇甫": "Huangfu",
    "尉迟": "Yuchi",
    "公孙": "Gongsun",
    "慕容": "Murong",
    "长孙": "Zhangsun",
    "宇文": "Yuwen",
    "司徒": "Situ",
    "夏侯": "Xiahou",
    "轩辕": "Xuanyuan",
    "令狐": "Linghu",
    "西门": "Ximen",
    "端木": "Duanmu",
    "独孤": "Dugu",
    "南宫": "Nangong",
    "呼延": "Huyan",
    "万俟": "Moqi",
    "闻人": "Wenren",
    "澹台": "Tantai",
    "公冶": "Gongye",
    "申屠": "Shentu",
    "太史": "Taishi",
    "钟离": "Zhongli",
    "宗政": "Zongzheng",
    "濮阳": "Puyang",
    "淳于": "Chunyu",
    "单于": "Chanyu",
    "赫连": "Helian",
    "司空": "Sikong",
    "拓跋": "Tuoba",
    "百里": "Baili",
    "东郭": "Dongguo",
    "第五": "Diwu",
    "左丘": "Zuoqiu",
    "乐正": "Yuezheng",
    "羊舌": "Yangshe",
    "谷梁": "Guliang",
    "巫马": "Wuma",
    "公西": "Gongxi",
    "漆雕": "Qidiao",
    "壤驷": "Rangsi",
    "公良": "Gongliang",
    "梁丘": "Liangqiu",
    "司寇": "Sikou",
    "亓官": "Qiguan",
    "颛孙": "Zhuansun",
}

#: Surnames whose reading differs from the character's everyday reading (one reading in use).
SURNAME_READING = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "翟": "zhai",
    "缪": "miao",
    "员": "yun",
    "召": "shao",
    "种": "chong",
    "秘": "bi",
    "繁": "po",
    "折": "she",
    "那": "na",
    "相": "xiang",
    "任": "ren",
    "华": "hua",
    "纪": "ji",
    "宁": "ning",
    "沈": "shen",
    "石": "shi",
    "曲": "qu",
    "车": "che",
    "燕": "yan",
    "应": "ying",
    "长": "chang",
    "朝": "chao",
    "藏": "zang",
    "句": "gou",
    "阚": "kan",
    "粘": "nian",
    "莘": "shen",
    "谌": "chen",
    "逄": "pang",
    "乜": "nie",
    "冼": "xian",
    "隗": "wei",
    "万": "wan",
    "重": "chong",
    "柏": "bai",
    "薄": "bo",
    "贾": "jia",
    "叶": "ye",
    "都": "du",
    "卜": "bu",
    "哈": "ha",
    "蔺": "lin",
    "便": "pian",
    "祭": "zhai",
    "能": "nai",
    "覃": "qin",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "尉": "yu",
    "过": "guo",
    "宿": "su",
    "阿": "a",
    "参": "shen",
}

#: Surnames with a second reading also in use: the reading kept as an alternative.
SURNAME_SECOND = {"乐": "le", "查": "cha", "盖": "gai", "覃": "tan", "尉": "wei"}


def surname_at(text: str, i: int) -> str | None:
    """The surname that starts ``text`` at ``i`` (a compound one first), or None."""
    two = text[i : i + 2]
    if two in COMPOUND:
        return two
    ch = text[i : i + 1]
    return ch if ch in COMMON else None
