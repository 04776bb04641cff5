"""The pages behind the lists on a 390×844 phone, over the demo bank: every demo user signs in, opens each page of
their menu and follows up to three links from it into detail and form pages. Each page must answer 200 and fit the
screen: no page-level horizontal scroll (a wide table scrolls inside its own container), and each form field's
control stands right under its label (at most three lines of label above it).

Screenshots go to test-results/detail-pages/phone/ (git-ignored): look at them.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from bankdesk.orgs.demo import DEMO_PASSWORD, USERS
from bankdesk.tests.screens import Screen

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]

LINKS_PER_LIST = 3
MAX_PAGES = 120  # keeps the test within a few minutes
TOLERANCE = 2  # px: sub-pixel rounding, not a scroll anyone can see
# Not pages to look at: files (exports, attachments, letters as PDF), signing out, the API, other sites' links.
NOT_A_PAGE = re.compile(r"/(api|accounts|static|media)/|export|download|attachment|logout|\.(csv|xlsx|pdf|txt)\b")

# A form field's control stands right under its label (three lines at most), not pulled away by a layout meant
# for something else.
LABELS_APART = """labels => labels.filter(label => label.nextElementSibling &&
    label.nextElementSibling.getBoundingClientRect().top - label.getBoundingClientRect().top > 80).length"""
LINKS_IN_MAIN = """links => links.filter(a => !a.hasAttribute('download') && a.target !== '_blank')
                                 .map(a => a.getAttribute('href'))"""


def _shape(path: str) -> str:
    """A path with its ids blanked: one complaint's page stands for all complaints' pages."""
    return re.sub(r"\d+", "N", urlsplit(path).path)


def _children_first(list_path: str, links: list[str]) -> list[str]:
    """The list's own entries and forms (paths under the list's) before its tabs and other pages' links."""
    return sorted(links, key=lambda path: not urlsplit(path).path.startswith(urlsplit(list_path).path))


class Tour:
    """The pages visited, one per shape, and what went wrong on them."""

    def __init__(self, screen: Screen):
        self.screen, self.shapes, self.wrong, self.visited = screen, set(), [], 0

    def is_new(self, path: str) -> bool:
        return (path.startswith("/") and not path.startswith("//") and not NOT_A_PAGE.search(path)
                and _shape(path) not in self.shapes)

    def visit(self, username: str, path: str) -> bool:
        """Open `path` and check it; False when the page is not an HTML page after all."""
        self.shapes.add(_shape(path))
        response = self.screen.page.goto(f"{self.screen.url}{path}")
        self.screen.page.wait_for_load_state("networkidle")
        if "text/html" not in response.headers.get("content-type", ""):
            return False
        self.visited += 1
        if response.status != 200:
            self.wrong.append((username, path, response.status))
        elif not self.screen.fits(TOLERANCE):
            self.wrong.append((username, path, self.screen.page.evaluate("document.documentElement.scrollWidth")))
        elif self.screen.page.eval_on_selector_all("main .field > label", LABELS_APART):
            self.wrong.append((username, path, "a field's control stands far below its label"))
        self.screen.shot(username + re.sub(r"[^\w-]+", "_", path))
        return True

    def links(self, selector: str) -> list[str]:
        return [href for href in self.screen.page.eval_on_selector_all(selector, LINKS_IN_MAIN) if href]

    def full(self) -> bool:
        return self.visited >= MAX_PAGES

    def walk(self, username: str) -> None:
        """The user's menu pages, and from each up to LINKS_PER_LIST pages it links to."""
        for list_path in self.links("#sidenav a"):
            if self.full() or not self.is_new(list_path) or not self.visit(username, list_path):
                continue
            followed = 0
            for path in _children_first(list_path, self.links("main a[href]")):
                if followed == LINKS_PER_LIST or self.full():
                    break
                if urlsplit(path).path != urlsplit(list_path).path and self.is_new(path):
                    followed += self.visit(username, path)


@pytest.fixture
def demo_bank(committed_db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_detail_and_form_pages_fit_the_phone(browser, live_server, demo_bank):
    screen = Screen(browser, live_server, "phone", "detail-pages")
    tour = Tour(screen)
    try:
        for username, *_rest in USERS:
            if tour.full():
                break
            screen.sign_in(username, DEMO_PASSWORD)
            tour.walk(username)
    finally:
        screen.context.close()
    assert tour.wrong == [], f"{len(tour.wrong)} of {tour.visited} pages are wrong (status, width or labels): " + \
        "\n".join(map(str, tour.wrong))
    assert tour.visited >= 40
