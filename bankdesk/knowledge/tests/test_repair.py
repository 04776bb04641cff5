"""The proofread case library on the real source files (bankdesk/knowledge/data/): the reviewed data (rules, per-case
corrections, reviewed real uses) repairs every known swap, leaves real uses and source 000 alone,
and every single change can be seen and reverted."""

from pathlib import Path

import pytest

from bankdesk.knowledge import importer
from bankdesk.knowledge.case_library import (
    RepairRule,
    parse_management_cases,
    parse_service_cases,
    repair,
    suspect_report,
)

DATA = Path(__file__).resolve().parent.parent / "data"


def _rules():
    return [RepairRule(r["wrong"], r["right"], r["scope"], r["cases"], r["phrase"])
            for r in importer._csv("repair_rules.csv")]


@pytest.fixture(scope="module")
def parsed():
    return parse_service_cases((DATA / "service_cases_001.txt").read_text(encoding="utf-8"), _rules(),
                               importer.corrections())


@pytest.fixture(scope="module")
def cases(parsed):
    return {case.code: case for case in parsed.cases}


def _text(case):
    return "\n".join([case.catalogue_title, case.title, case.intro, case.analysis, case.questions])


def test_no_unambiguous_swap_is_left_and_every_ambiguous_one_is_reviewed(parsed):
    rows, issues = suspect_report(parsed.cases, importer.suspect_words(), importer.reviewed_hits())
    by_word = {row["word"]: row for row in rows}
    assert issues == []
    assert [row["word"] for row in rows if row["kind"] == "unambiguous" and row["after"]] == []
    assert [row["word"] for row in rows if row["left"]] == []
    assert by_word["效劳"]["before"] == 361 and by_word["存款"]["reviewed"] == by_word["存款"]["after"] > 0
    assert not [issue for issue in parsed.report if issue.kind == "correction_unmatched"]


EXPECTED = [  # (case, sentence as a bank's service trainer writes it), a sample per role group
    ("01001", "个体户荣先生被〝A支行〞列为VIP客户"),
    ("01004", "无论柜员如何解释,生性急躁的李阿姨就是不听"),
    ("01004", "柜员都被阿姨的大声指责吓得不敢说话,低头处理手中的业务。阿姨见没有人理会她,愈加怒气冲冲。"),
    ("01005", "高先生:〝我电话挂失了,不过我想这张卡平时不用,就销卡算了。〞"),
    ("01008", "大堂经理建议他可以用定期存款办理我行的小额质押贷款业务,这样既可以解决燃眉之急,又可以减少因提早支取"),
    ("01009", "留下了电话,告诉她如需帮助可以直接联系。事后沃德客户经理判断"),
    ("01010", "由于老先生行动不便的原因"),
    ("01011", "请她先回去上班,过会儿检查相关记录后,再跟她联系。"),
    ("01011", "第二天一上班,大堂经理通过核对报表"),
    ("01013", "也许结果会大不一样"),
    ("01014", "该女子对卡卡转帐业务与服务甚为放心、满意"),
    ("02001", "原来,昨晚请朋友吃饭,发现身上的钱不够,情急之下拿了大娘的钱忘记告诉她了。"),
    ("02002", "该女士见状像失去理智一般,开口大骂,听不进任何解释"),
    ("02003", "一位老年女客户持一张2004年12\n月17日开立的3年期5万元的定期存单"),
    ("02003", "称自己没有听清楚柜员的提示,请求不要\n处罚柜员。"),
    ("02004", "事情终于在晚上9点多真相大白。"),
    ("02005", "自动还款功能方能生效"),
    ("02006", "且在未打通热线后也未主动询问上级领导,而是很肯定地拒绝客户。"),
    ("02009", "你们经常开出空头支票"),
    ("02010", "又拨打了投诉电话。最后,客户在很多人的劝慰下愤愤不平地离开了银行。"),
    ("02011", "指责柜员上班时间工作不专心、不务正业"),
    ("02012", "对特殊客户服务应相对灵活处理"),
    ("02013", "客户就怒气冲冲地直言"),
    ("02014", "指导性规定和客户需求发生矛盾该怎样办?"),
    ("02015", "客户遭到冷遇,感到特别气愤,故而投诉。"),
    ("02016", "勇敢克服心理障碍,在实践中养成习惯。"),
    ("02017", "给您带来那么多不便。"),
    ("02018", "容易形成对立情绪"),
    ("02019", "使一件坏事,变成一件好事。"),
    ("02020", "并且他的卡活期上经常有大量现金闲置"),
    ("02021", "这位女士顿时傻了眼"),
    ("02022", "本案例所述的事情不大,而且又极为常见"),
    ("02023", "最后,应客户要求带当事柜员亲自登门道歉,此事才最终平息。"),
    ("02024", "风险管理应该适度,非常用交易币种闭户时限应切合实际。"),
    ("02025", "客户势必会追究银行的相关责"),
    ("02026", "造成客户对双币卡性质认识片面"),
    ("02027", "陈先生十分疑惑,无奈地走出了银行。"),
    ("02028", "当时柜员盖章后将第一联交给了她,后面三联柜员全部留下了。"),
    ("02029", "一位男客户排在后面等候"),
    ("03001", "因考虑到电话里不便和客户全面沟通,小王便约好登门拜访。"),
    ("03002", "没等潘小姐说完,柜员〔理财师〕就挂断了电话。"),
    ("03003", "时刻和客户保持联系,让客户省心、放心。"),
    ("03004", "不只把准备汇走的存款留了下来"),
    ("03005", "之后这些基金不跌反而上涨了。"),
    ("03006", "发现这种产品预期收益率,不见得比我行代销的货币基金高。"),
    ("03007", "郭小姐表示她已承诺客户今日一定到帐"),
    ("03008", "当柜员要求客户填写«太平洋卡销户申请书»"),
    ("03008", "本着为客户着想的原则"),
    ("03008", "柜员随即发送故障信息到信息技术部要求支持"),
    ("03008", "而是简单粗暴地对待客户提出的问题"),
    ("03009", "中年夫妇频频点头,流露出几分期待的神情。"),
    ("03010", "而支行只有小票面现钞,这显然不便于出国携带。"),
    ("03011", "打新股的资金有一段封闭期,也就是需要冻结一段时间。那么在相同或"),
    ("03012", "您预留的联系电话是固定电话,所以没有收到短信。"),
    ("03013", "这样在股市波动时,才能抵御或防范更大的风险。"),
    ("03014", "服务意识欠缺。1号柜和2号柜的柜员"),
    ("04001", "理财型进口代付"),
    ("05003", "今天是最后还"),
    ("06006", "今天我们失去了他们,明天将失去更多"),
    ("07003", "一位女客户怒气冲冲来到某行信贷部门"),
    ("07003", "部门领导为客户倒了一杯水,让她先消消气。"),
    ("07003", "依据行里提供的贷款测算表每月按时还款,已于上月到期还清。"),
    ("07003", "个人征信系统中有多次逾期个人信用记录,不符合借款条件。今天急急忙忙从南京赶来"),
    ("07003", "如今你们必须负责为我处理这个问题"),
    ("07001", "要求变更征信系统记录,但未得到应允。"),
    ("04001", "小李系国内一家化工企业的财务经理,该公司原材料主要依赖于进口"),
    ("05001", "我们在营销产品时不能只以银行为主,单方面向客户推销"),
    ("05002", "而这个月是由于超过签约缴费上限200元"),
    ("05003", "我们通话这么长时间,一直没有请问您贵姓,怎样称呼您啊?"),
    ("05004", "此时客户只需承担汇款所产生的费用"),
    ("05005", "此时已是晚上22点了"),
    ("05006", "我们用优质服务弥补了某些不足,赢得了客户的信任。"),
    ("05007", "客户听后发出了一声很无奈的叹息"),
    ("06001", "经过沟通和交流,了解到他是一家房地产中介运营商,每天下午都有现金要交存银行,而交行的自助设备在当地最多最好"),
    ("06002", "2007年〝五一〞节股市将要休市七天,大量资金开始回笼。"),
    ("06003", "并按客户意愿转存了5年期定期储蓄存款"),
    ("06004", "使用简单明了的语言,不厌其烦地解答他提出的问题"),
    ("06005", "柜员听了连连点头,开始站在蒋先生的角度去思考问题"),
    ("06006", "此时恰巧进来2位高端客户,插在前面提前办业务"),
    ("06008", "柜员操作时动作应更加迅速,与其他柜员交流工作内容,语言应尽量精练,避免客户产生误解。"),
    ("06009", "否则出发点再好,结果不好.客户不满意,只能使自己被动。"),
    ("06010", "我们却没给客户细心说说,仔细算算,就随便地放弃,使眼前客户白白流失了。"),
    ("06011", "一刻钟后,〝后一客户〞主动打来电话表示愿意将手机归还。"),
    ("06012", "仅靠制度解释,不能达到应有效果"),
    ("06013", "库车抵达时距营业时间已不到5分钟。"),
]


@pytest.mark.parametrize("code, sentence", EXPECTED)
def test_repaired_sentences_read_as_the_bank_wrote_them(cases, code, sentence):
    assert sentence in _text(cases[code])


@pytest.mark.parametrize("code, real_use", [
    ("02027", "7天通知存款"), ("02008", "达到最佳效果"), ("01012", "有一次她曾经刷卡"), ("03007", "维护您的信誉"),
    ("02021", "明天是星期六"), ("06012", "普通客户"), ("03008", "使客户误以为"), ("02024", "客户不耐烦地问"),
    ("06011", "不动用外部力量"), ("06012", "不能达到应有效果"),
])
def test_real_uses_of_swapped_words_are_left_alone(cases, code, real_use):
    assert real_use in _text(cases[code])


def test_each_correction_keeps_the_seed_wording_and_reverts_alone(cases):
    corrections = importer.corrections()
    text = (DATA / "service_cases_001.txt").read_text(encoding="utf-8")
    assert all(correction.wrong in text for correction in corrections)
    noon = [c for c in corrections if c.case == "07003" and c.wrong.startswith("半夜")]
    assert len(noon) == 1
    without = parse_service_cases(text, _rules(), [c for c in corrections if c is not noon[0]])
    reverted = {case.code: case for case in without.cases}["07003"]
    assert reverted.intro.startswith("半夜休息时") and cases["07003"].intro.startswith("中午休息时")
    assert reverted.intro.replace("半夜", "中午", 1) == cases["07003"].intro


def test_seed_000_is_untouched_by_every_rule():
    text = (DATA / "management_cases_000.txt").read_text(encoding="utf-8")
    parsed = parse_management_cases(text, _rules(), importer.corrections())
    praise = sum(case.intro.count("赞扬") + case.analysis.count("赞扬") + case.questions.count("赞扬")
                 for case in parsed.cases)
    assert praise == text[:text.index("文章推荐")].count("赞扬") > 0  # 客户赞扬 there is praise
    for case in parsed.cases:
        for part in ("intro", "analysis", "questions"):
            assert getattr(case, part) == case.original_parts.get(part, "")
    assert "能够" in " ".join(case.intro + case.analysis for case in parsed.cases)


def test_a_change_is_made_once_and_a_phrase_rule_changes_only_its_word():
    rules = [RepairRule("只要", "只有", "everywhere"), RepairRule("只需", "只要", "everywhere"),
             RepairRule("失掉", "得到", "everywhere"), RepairRule("需求", "需要", "phrase", phrase="需求失掉"),
             RepairRule("不耐烦", "不耐烦", "everywhere"), RepairRule("耐烦", "耐心", "everywhere")]
    assert repair("只要客户有业务,只需求身份证", "01001", rules) == "只有客户有业务,只要求身份证"
    assert repair("更需求失掉尊重,客户需求", "01001", rules) == "更需要得到尊重,客户需求"
    assert repair("耐烦解释,客户不耐烦", "01001", rules) == "耐心解释,客户不耐烦"
