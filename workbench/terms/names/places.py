"""Place names: the specific name in pinyin plus the translated generic, or the established name.

Rules (GB/T 17693 as the issue cites it, and the usage of GB/T 30240.1 for public signs):

* the specific name is written in pinyin as one word (``Tanjia Town``, ``Ji'an City``); its reading
  comes from CC-CEDICT when CC-CEDICT lists the place (乐清 Yueqing, 六安 Lu'an), else from pypinyin;
* the generic is translated (区 District, 县 County, 镇 Town, 省 Province, 市 City, 乡 Township,
  街道 Subdistrict, 村 Village, 自治区 Autonomous Region ...), with the ethnic group of an autonomous
  area translated too (广西壮族自治区 Guangxi Zhuang Autonomous Region);
* a one-syllable specific keeps its generic in pinyin as well (沛县 Peixian County), with the
  plain form (Pei County) as an alternative;
* an established English name replaces the pinyin (哈尔滨 Harbin, 香港 Hong Kong, 陕西 Shaanxi);
* province-level and city names may also stand without the generic (Jiangsu, Harbin): that short
  form is an alternative; the four municipalities are proposed in the short form (Beijing).
"""

from __future__ import annotations

from workbench.terms.names.cedict import DictPlace, name_dictionary
from workbench.terms.names.model import Rendering
from workbench.terms.names.pinyin import join_word, readings, syllables

#: Administrative generics, longest first, with their English and their adjective in organisation names.
GENERICS: dict[str, tuple[str, str]] = {
    "特别行政区": ("Special Administrative Region", "Special Administrative Region"),
    "自治区": ("Autonomous Region", "Autonomous Regional"),
    "自治州": ("Autonomous Prefecture", "Autonomous Prefecture"),
    "自治县": ("Autonomous County", "Autonomous County"),
    "自治旗": ("Autonomous Banner", "Autonomous Banner"),
    "民族乡": ("Ethnic Township", "Ethnic Township"),
    "街道": ("Subdistrict", "Subdistrict"),
    "社区": ("Community", "Community"),
    "新区": ("New Area", "New Area"),
    "省": ("Province", "Provincial"),
    "市": ("City", "Municipal"),
    "县": ("County", "County"),
    "区": ("District", "District"),
    "镇": ("Town", "Town"),
    "乡": ("Township", "Township"),
    "村": ("Village", "Village"),
}
#: Generics after which the bare specific is an accepted short form.
SHORT_FORM_OK = frozenset({"省", "市", "自治区", "特别行政区"})
MUNICIPALITIES = frozenset({"北京", "上海", "天津", "重庆"})

#: Ethnic groups named in autonomous areas (the 族 may be left out in the name).
ETHNIC = {
    "维吾尔": "Uygur",
    "壮族": "Zhuang",
    "壮": "Zhuang",
    "回族": "Hui",
    "藏族": "Tibetan",
    "苗族": "Miao",
    "土家族": "Tujia",
    "彝族": "Yi",
    "蒙古族": "Mongolian",
    "朝鲜族": "Korean",
    "满族": "Manchu",
    "侗族": "Dong",
    "瑶族": "Yao",
    "白族": "Bai",
    "哈尼族": "Hani",
    "傣族": "Dai",
    "黎族": "Li",
    "畲族": "She",
    "羌族": "Qiang",
    "布依族": "Bouyei",
    "水族": "Shui",
    "仡佬族": "Gelao",
    "哈萨克族": "Kazak",
    "哈萨克": "Kazak",
    "傈僳族": "Lisu",
    "景颇族": "Jingpo",
    "纳西族": "Naxi",
    "土族": "Tu",
    "撒拉族": "Salar",
    "东乡族": "Dongxiang",
    "仫佬族": "Mulao",
    "毛南族": "Maonan",
    "柯尔克孜": "Kirgiz",
    "达斡尔族": "Daur",
    "锡伯": "Xibe",
    "鄂温克族": "Ewenki",
    "拉祜族": "Lahu",
    "佤族": "Va",
    "独龙族": "Derung",
    "怒族": "Nu",
    "普米族": "Pumi",
    "裕固族": "Yugur",
    "保安族": "Bonan",
    "塔吉克": "Tajik",
    "各族": "Multi-ethnic",
}
#: Established names CC-CEDICT lacks or writes in an older form, and a few pinyin alternatives.
ESTABLISHED = {"内蒙古": "Inner Mongolia", "澳门": "Macao", "西藏": "Tibet"}
EXTRA_ALTERNATIVES = {"西藏": ("Xizang",), "澳门": ("Macau",), "乌鲁木齐": ("Urumqi",)}
#: Characters whose reading in a place name is often not the everyday one.
UNCERTAIN_IN_PLACES = frozenset("乐长行重朝会都单解番六蚌铅阿莘洞吐尉蔚泌亳厦堡曲浒埔")

#: Organisations that follow a place name, with their English.
ORGANISATIONS = {
    "妇女联合会": "Women's Federation",
    "妇联": "Women's Federation",
    "人民政府": "People's Government",
    "政府": "Government",
    "纪委": "Commission for Discipline Inspection",
    "党委": "Party Committee",
    "人大常委会": "People's Congress Standing Committee",
    "政协": "CPPCC Committee",
    "委员会": "Committee",
    "公安局": "Public Security Bureau",
    "教育局": "Education Bureau",
    "人民法院": "People's Court",
    "人民检察院": "People's Procuratorate",
    "人社厅": "Department of Human Resources and Social Security",
    "商务厅": "Department of Commerce",
}


def split_ethnic(specific: str) -> tuple[str, list[str]]:
    """``广西壮族`` -> (``广西``, ``["Zhuang"]``): the ethnic groups at the end of an autonomous area's name."""
    groups: list[str] = []
    rest = specific
    changed = True
    while changed and rest:
        changed = False
        for zh in sorted(ETHNIC, key=len, reverse=True):
            if rest.endswith(zh) and len(rest) > len(zh):
                groups.insert(0, ETHNIC[zh])
                rest = rest[: -len(zh)]
                changed = True
                break
    return rest, groups


def _dict_entry(specific: str, generic: str) -> tuple[DictPlace | None, tuple[str, ...] | None]:
    """The CC-CEDICT entry of the place and the syllables of its specific part."""
    d = name_dictionary()
    entry = d.place(specific)
    if entry is not None:
        return entry, entry.syllables
    entry = d.place(specific + generic)
    if entry is not None and len(entry.syllables) == len(specific) + len(generic):
        return entry, entry.syllables[: len(specific)]
    return None, None


def specific_name(specific: str, generic: str = "") -> Rendering:
    """The English of a place's specific name (no generic): established name, or pinyin in one word."""
    if specific in ESTABLISHED:
        return Rendering(
            ESTABLISHED[specific], EXTRA_ALTERNATIVES.get(specific, ()), 1.0, (), "established English name"
        )
    entry, sylls = _dict_entry(specific, generic)
    if entry is not None and sylls:
        pinyin_form = join_word(sylls)
        if entry.headword == specific and entry.is_exonym and entry.english and " of " not in entry.english:
            return Rendering(
                entry.english,
                EXTRA_ALTERNATIVES.get(specific, ()),
                1.0,
                (),
                f"CC-CEDICT established name ({entry.definition[:60]})",
            )
        return Rendering(
            pinyin_form, EXTRA_ALTERNATIVES.get(specific, ()), 1.0, (), "pinyin, reading from CC-CEDICT"
        )
    sylls_list = syllables(specific)
    reasons = []
    for ch in specific:
        if ch in UNCERTAIN_IN_PLACES and len(readings(ch)) > 1:
            reasons.append(f"{ch} has several readings ({'/'.join(readings(ch))}); place not in CC-CEDICT")
    confidence = 0.55 if reasons else 1.0
    return Rendering(join_word(sylls_list), (), confidence, tuple(reasons), "pinyin (pypinyin)")


def place_name(specific: str, generic: str) -> Rendering:
    """The English of a place written ``specific`` + ``generic`` (``沭阳`` + ``县``: Shuyang County)."""
    en_generic = GENERICS[generic][0]
    ethnic: list[str] = []
    base = specific
    if generic.startswith("自治"):
        base, ethnic = split_ethnic(specific)
    spec = specific_name(base, generic)
    alternatives = list(spec.alternatives)
    groups = " and ".join(ethnic) if len(ethnic) < 3 else ", ".join(ethnic[:-1]) + " and " + ethnic[-1]
    words = [spec.target, groups] if groups else [spec.target]
    if len(base) == 1 and not ethnic and spec.basis != "established English name":
        # A one-syllable specific carries its generic in pinyin too: 沛县 Peixian County.
        target = f"{spec.target}{syllables(generic)[0] if len(generic) == 1 else ''} {en_generic}"
        alternatives.insert(0, f"{spec.target} {en_generic}")
    elif base in MUNICIPALITIES and generic == "市":
        target = spec.target
        alternatives[:0] = [f"{spec.target} Municipality", f"{spec.target} City"]
    else:
        target = " ".join([*words, en_generic])
        if generic in SHORT_FORM_OK:
            alternatives.insert(0, " ".join(words))
    alternatives += [
        f"{a} {en_generic}" for a in spec.alternatives if " " not in a and a not in MUNICIPALITIES
    ]
    seen: list[str] = []
    for a in alternatives:
        if a != target and a not in seen:
            seen.append(a)
    return Rendering(target, tuple(seen), spec.confidence, spec.reasons, spec.basis)


def organisation_name(place: Rendering, specific: str, generic: str, suffix: str) -> Rendering:
    """``沭阳县`` + ``妇联``: Shuyang County Women's Federation (省/市: Provincial, Municipal)."""
    en_suffix = ORGANISATIONS[suffix]
    adjective = GENERICS[generic][1]
    short = place.alternatives[0] if generic in SHORT_FORM_OK and place.alternatives else None
    if generic in ("省", "市", "自治区") and short:
        target = f"{short} {adjective} {en_suffix}"
        alternatives: tuple[str, ...] = (f"{place.target} {en_suffix}", f"{short} {en_suffix}")
    else:
        target = f"{place.target} {en_suffix}"
        alternatives = ()
    return Rendering(target, alternatives, place.confidence, place.reasons, place.basis)
