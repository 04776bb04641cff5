"""The home page's registry: tiles by section, each with its count and the list behind it."""

import pytest

from bankdesk.core import home
from bankdesk.core.messaging import notify
from bankdesk.core.permissions import CorePermission


@pytest.fixture
def extra_tiles():
    """Two tiles of a test app, taken out again afterwards."""
    tiles = (home.Tile("test.all", "For everyone", "core:inbox", lambda user: 3, query="show=all", order=1),
             home.Tile("test.audit", "For auditors", "core:audit", lambda user: 0, permission=CorePermission.VIEW_AUDIT,
                       section=home.TEAM))
    home.register(*tiles, owner="bankdesk.tests")
    yield tiles
    for tile in tiles:
        del home.TILES.entries[tile.key]
        del home.TILES.owners[tile.key]


def test_sections_hold_the_tiles_the_user_may_see(agent, auditor, extra_tiles):
    agent_sections = home.sections_for(agent)
    assert [section["key"] for section in agent_sections] == [home.MINE]
    first = agent_sections[0]["tiles"][0]
    assert (first["tile"].key, first["count"], first["url"]) == ("test.all", 3, "/inbox/?show=all")
    team = [section for section in home.sections_for(auditor) if section["key"] == home.TEAM][0]
    assert [item["tile"].key for item in team["tiles"]] == ["test.audit"]


def test_home_page_shows_counts_linking_to_their_lists(logged_in, agent):
    notify([agent.pk], kind="test", text="一条消息", email=False)
    page = logged_in(agent).get("/").content.decode()
    assert 'href="/inbox/" data-tile="core.unread_messages"' in page
    assert '<span class="tile-count">1</span>' in page
