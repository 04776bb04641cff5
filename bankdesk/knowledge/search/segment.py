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
    """About `width` characters of `text` around the first match, every match wrapped in start and
    end marks (\x02, \x03); and how many of the terms occur at all."""
    text = " ".join((text or "").split())
    lowered = text.lower()
    found = [term for term in terms if term in lowered]
    first = min((lowered.find(term) for term in found), default=0)
    start = max(0, first - width // 3)
    window, lowered_window = text[start:start + width], lowered[start:start + width]
    marked, position = [], 0
    pattern = re.compile("|".join(re.escape(term) for term in sorted(found, key=len, reverse=True)))
    for match in pattern.finditer(lowered_window) if found else ():
        marked += [window[position:match.start()], "\x02", window[match.start():match.end()], "\x03"]
        position = match.end()
    marked.append(window[position:])
    prefix, suffix = ("…" if start > 0 else ""), ("…" if start + width < len(text) else "")
    return prefix + "".join(marked) + suffix, len(found)
