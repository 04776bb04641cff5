"""Competition ranking, shared by the service star and the outlet ratings."""


def ranks(totals: dict) -> dict:
    """{key: rank} from {key: total}: the highest total ranks 1, equal totals share a rank (1, 2, 2, 4)."""
    ordered = sorted(totals.items(), key=lambda pair: pair[1], reverse=True)
    result, previous, rank = {}, None, 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        result[key] = rank
    return result
