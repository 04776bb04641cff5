import re

import rjieba

STOPWORDS = set("的 了 在 是 我 你 他 她 它 们 和 与 及 或 被 把 对 就 也 都 而 又 着 过 吗 呢 吧 啊 之 其 即 等 这 那 个 有 为 以 于 从 到 将 并 但 则".split())
WORD = re.compile(r"\w", re.UNICODE)


def words(text: str) -> list[str]:
    """Search words of a text: rjieba's search segmentation, less punctuation and stop words."""
    return [w.lower() for w in rjieba.cut_for_search(text or "") if WORD.search(w) and w not in STOPWORDS]


def segmented(text: str) -> str:
    return " ".join(words(text))



def snippet(text: str, terms: list[str], width: int = 60) -> tuple[str, int]:
    """About `width` characters of `text` around the first match, every matched word wrapped in
    start and end marks (\x02, \x03); and how many of the terms occur at all.

    Only whole words are marked: the window is segmented with rjieba and a token is marked when it
    is one of the terms and longer than one character, so a search for 自动还款 marks 自动 and 还款
    but never a lone 元, 要 or 2 inside other words."""
    text = " ".join((text or "").split())
    lowered = text.lower()
    found = [term for term in terms if term in lowered]
    markable = {term for term in found if len(term) > 1}
    first = min((lowered.find(term) for term in markable), default=0)
    start = max(0, first - width // 3)
    window = text[start:start + width]
    marked = []
    for token in rjieba.cut(window):
        marked += ["\x02", token, "\x03"] if token.lower() in markable else [token]
    prefix, suffix = ("…" if start > 0 else ""), ("…" if start + width < len(text) else "")
    return prefix + "".join(marked) + suffix, len(found)
