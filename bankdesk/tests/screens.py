"""A signed-in browser window at a desk's or a phone's width, for the browser tests that look at pages at
both sizes and keep a screenshot of each under test-results/."""

from pathlib import Path

from bankdesk.conftest import PASSWORD

SCREENS = {"desktop": (1440, 900), "phone": (390, 844)}
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


class Screen:
    def __init__(self, browser, live_server, name: str, shots: str):
        self.name, (self.width, self.height) = name, SCREENS[name]
        self.context = browser.new_context(locale="zh-CN", viewport={"width": self.width, "height": self.height})
        self.page = self.context.new_page()
        self.url = live_server.url
        self.shots = RESULTS / shots / name
        self.shots.mkdir(parents=True, exist_ok=True)

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        self.context.clear_cookies()
        self.page.goto(f"{self.url}/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("button.primary")
        self.page.wait_for_url(f"{self.url}/")

    def open(self, path: str) -> None:
        self.page.goto(f"{self.url}{path}")
        self.page.wait_for_load_state("networkidle")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)

    def fits(self, tolerance: int = 0) -> bool:
        """Nothing makes the page wider than the screen (a list too wide scrolls inside itself)."""
        return self.page.evaluate("document.documentElement.scrollWidth") <= self.width + tolerance


def screen_at(browser, live_server, name: str, shots: str):
    """The body of a `screen` fixture parametrised over SCREENS: a window, closed after the test."""
    screen = Screen(browser, live_server, name, shots)
    yield screen
    screen.context.close()
