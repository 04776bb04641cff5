"""Materialised paths: every node's `path` is its parent's path plus a fixed-width segment of
digits, so a subtree is one range scan (`path >= P AND path < next_path(P)`), whatever the collation."""

PATH_SEGMENT_WIDTH = 4


def next_path(path: str) -> str:
    """The smallest path greater than every path starting with `path` (digits only)."""
    stripped = path.rstrip("9")
    if not stripped:
        return "~"
    return stripped[:-1] + str(int(stripped[-1]) + 1)
