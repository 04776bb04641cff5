"""Search latency with many complaints indexed (knowledge issue): p50/p95/p99 of search().

Usage: python bench/search_bench.py --complaints 1000000 [--queries 200]
Uses its own database: SQLite under bench/var/ by default, or DATABASE_URL (PostgreSQL).
Builds the demo bank, the case library and N complaint documents written straight into the
search index (segmented like the product does), then times queries a handler and a head-office
officer would type, and writes bench/results/search-<engine>-<date>.json.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BANKDESK_VAR_DIR", str(ROOT / "bench" / "var"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankdesk.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bankdesk.knowledge.models import SearchEntry  # noqa: E402
from bankdesk.knowledge.search import Document, index_many, search  # noqa: E402
from bankdesk.orgs.models import OrgUnit, User  # noqa: E402

QUERIES = ["信用卡年费", "排队时间太长", "柜员态度不好", "ATM吞卡", "贷款利率", "理财产品亏损", "手机银行登录不了",
           "转账没到账", "挂失补卡", "U盾密码锁定", "催收电话骚扰", "保险退保", "存款利息", "网点服务差",
           "自动还款没有扣款", "假币", "销户手续", "客户经理推销", "信息泄露", "收费不合理"]
SUBJECTS = ["信用卡", "借记卡", "手机银行", "网银", "理财产品", "保险", "房贷", "消费贷款", "ATM", "柜台", "转账",
            "存款", "U盾", "自动还款", "年费", "短信通知费", "账户管理费"]
PROBLEMS = ["未经告知即被扣收费用", "排队等候时间过长", "工作人员态度冷淡", "办理业务手续繁琐", "资金迟迟未到账",
            "系统故障无法登录", "推销时未说明风险", "催收电话频繁骚扰", "个人信息被泄露", "吞卡后无人处理",
            "利率与合同约定不符", "挂失后补卡时间太长", "密码多次输错被锁定", "收益与宣传严重不符"]
DEMANDS = ["要求退还费用并道歉", "要求尽快处理", "要求赔偿损失", "要求对工作人员进行批评教育", "要求说明原因"]


def _text(rng: random.Random) -> tuple[str, str]:
    subject, problem = rng.choice(SUBJECTS), rng.choice(PROBLEMS)
    title = f"{subject}{problem}"
    body = (f"客户反映{rng.randint(1, 28)}日在{rng.choice(['网点', '柜台', '手机银行', '客服热线'])}办理{subject}业务时，"
            f"{problem}，{rng.choice(PROBLEMS)}。{rng.choice(DEMANDS)}。")
    return title, body


def build(count: int, seed: int = 7) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    existing = SearchEntry.objects.filter(kind="complaint").count()
    if existing >= count:
        return
    outlets = list(OrgUnit.objects.filter(kind="outlet").values_list("path", flat=True))
    branches = [p[:8] for p in outlets]
    handlers = list(User.objects.filter(username__startswith="handler").values_list("id", flat=True))
    rng = random.Random(seed)
    started, batch = time.perf_counter(), []
    for number in range(existing + 1, count + 1):
        title, body = _text(rng)
        unit = rng.randrange(len(outlets))
        batch.append(Document(kind="complaint", object_id=number, code=f"TS-B-{number:07d}", title=title, body=body,
                              unit_path=outlets[unit], lead_path=branches[unit], handler_id=rng.choice(handlers)))
        if len(batch) == 10_000:
            with transaction.atomic():
                index_many(batch)
            batch = []
            print(f"  {number:,} documents, {time.perf_counter() - started:.0f} s", flush=True)
    if batch:
        with transaction.atomic():
            index_many(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE knowledge_searchentry")


def measure(queries: int) -> dict:
    users = {name: User.objects.get(username=name) for name in ("cp_officer", "handler_east")}
    figures = {}
    for name, user in users.items():
        for query in QUERIES[:3]:
            search(user, query)  # warm-up
        timings, found = [], []
        for number in range(queries):
            query = QUERIES[number % len(QUERIES)]
            started = time.perf_counter()
            results = search(user, query, limit=20)
            timings.append((time.perf_counter() - started) * 1000)
            found.append(results.total)
        timings.sort()
        figures[name] = {"queries": queries, "p50_ms": round(statistics.median(timings), 1),
                         "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
                         "p99_ms": round(timings[int(len(timings) * 0.99) - 1], 1),
                         "max_ms": round(timings[-1], 1), "median_matches": statistics.median(found),
                         "queries_with_no_match": sum(1 for total in found if total == 0)}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    started = time.perf_counter()
    build(args.complaints)
    build_seconds = round(time.perf_counter() - started, 1)
    result = {"date": date.today().isoformat(), "machine": f"{platform.node()} {os.cpu_count()} cores",
              "python": platform.python_version(), "database": connection.vendor,
              "complaints_indexed": SearchEntry.objects.filter(kind="complaint").count(),
              "build_seconds": build_seconds, "search": measure(args.queries)}
    out = ROOT / "bench" / "results" / f"search-{connection.vendor}-{result['date']}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
