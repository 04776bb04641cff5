"""Complaint texts for the benchmark, built from the vocabulary of the imported case library.

Two halves, so the django-helpdesk peer (its own virtual environment, no BankDesk code) can use the same texts:
- `write_vocabulary(path)` runs in BankDesk's environment: it parses the service-case library with the
  product's parser and repair rules and keeps the sentences in which a customer speaks or is spoken of,
  plus the case titles, in a JSON file;
- `TextMaker(path, seed)` needs only the standard library: it composes a title, the customer's words and a
  demand from that file, repeatably for a seed.
"""

import csv
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bankdesk" / "knowledge" / "data"
SENTENCE_END = re.compile(r"[。！？!?\n;；]")

SUBJECTS = ["信用卡", "借记卡", "手机银行", "网上银行", "理财产品", "代销保险", "个人住房贷款", "消费贷款", "ATM", "柜台",
            "跨行转账", "定期存款", "U盾", "自动还款", "信用卡年费", "短信通知费", "账户管理费", "工资卡", "社保卡",
            "外汇兑换", "基金定投", "贵金属", "大额存单", "挂失补卡", "销户"]
PROBLEMS = ["未经告知即被扣收费用", "排队等候时间过长", "工作人员态度冷淡", "办理业务手续繁琐", "资金迟迟未到账",
            "系统故障无法登录", "推销时未说明风险", "催收电话频繁骚扰", "个人信息被泄露", "吞卡后无人处理",
            "利率与合同约定不符", "挂失后补卡时间太长", "密码多次输错被锁定", "收益与宣传严重不符", "大堂经理解释前后矛盾",
            "被要求重复提供材料", "叫号系统跳号", "柜员未按规定核对身份", "还款后仍被上报逾期", "营销人员夸大收益"]
DEMANDS = ["要求退还费用并道歉", "要求尽快处理", "要求赔偿损失", "要求对工作人员进行批评教育", "要求说明原因",
           "要求撤销不良征信记录", "要求恢复账户正常使用", "要求书面答复", "要求改进服务流程"]
PLACES = ["网点柜台", "营业厅", "手机银行", "客服热线", "自助银行", "网上银行", "理财室"]


def write_vocabulary(path: Path) -> Path:
    """Parse the service-case library (BankDesk's environment) and keep its customer sentences and titles."""
    from bankdesk.knowledge import case_library

    with open(DATA / "repair_rules.csv", encoding="utf-8") as handle:
        rules = [case_library.RepairRule(wrong=row["wrong"], right=row["right"], scope=row["scope"],
                                         cases=row.get("cases", ""), phrase=row.get("phrase", ""))
                 for row in csv.DictReader(handle)]
    parsed = case_library.parse_service_cases((DATA / "service_cases_001.txt").read_text(encoding="utf-8"), rules)
    sentences = sorted({part.strip() for case in parsed.cases for part in SENTENCE_END.split(case.intro)
                        if 12 <= len(part.strip()) <= 70 and "客户" in part})
    titles = sorted({case.title for case in parsed.cases if case.title})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"sentences": sentences, "titles": titles}, ensure_ascii=False), encoding="utf-8")
    return path


class TextMaker:
    """(title, description, demand) of one complaint, from the vocabulary file and a seed."""

    def __init__(self, vocabulary: Path, seed: int = 7):
        words = json.loads(vocabulary.read_text(encoding="utf-8"))
        self.sentences, self.titles = words["sentences"], words["titles"]
        self.random = random.Random(seed)

    def complaint(self) -> tuple[str, str, str]:
        pick = self.random.choice
        subject, problem, demand = pick(SUBJECTS), pick(PROBLEMS), pick(DEMANDS)
        description = (f"客户反映{self.random.randint(1, 28)}日在{pick(PLACES)}办理{subject}业务时{problem}，"
                       f"{pick(PROBLEMS)}。{pick(self.sentences)}。{demand}。")
        return f"{subject}{problem}", description, demand

    def keywords(self) -> list[str]:
        """What a handler types into the search box: a subject, a problem, or both."""
        return SUBJECTS[:10] + PROBLEMS[:10] + [f"{s}{p}" for s, p in zip(SUBJECTS[10:], PROBLEMS[10:])]
