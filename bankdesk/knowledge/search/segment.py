import re

import rjieba

STOPWORDS = set("的 了 在 是 我 你 他 她 它 们 和 与 及 或 被 把 对 就 也 都 而 又 着 过 吗 呢 吧 啊 之 其 即 等 这 那 个 有 为 以 于 从 到 将 并 但 则".split())
WORD = re.compile(r"\w", re.UNICODE)
CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff\uff00-\uffef]) (?=[\u3400-\u9fff\uff00-\uffef<])|(?<=>) (?=[\u3400-\u9fff])")


def words(text: str) -> list[str]:
    """Search words of a text: rjieba's search segmentation, less punctuation and stop words."""
    return [w.lower() for w in rjieba.cut_for_search(text or "") if WORD.search(w) and w not in STOPWORDS]


def segmented(text: str) -> str:
    return " ".join(words(text))


def unsegment(text: str) -> str:
    """Undo the spaces segmentation put between Chinese words (for snippets)."""
    return CJK_GAP.sub("", text)
