"""The load side of the benchmark: log in like a browser, then drive one workload with wrk.

Standard library only, so every server (BankDesk, the django-helpdesk peer, the bare-Django ceiling) is
driven the same way: a Django session cookie and a CSRF token from the real login form, then wrk with
bench/wrk/workload.lua loading it for a bounded time and printing throughput and p50/p95/p99.
"""

import http.cookiejar
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).resolve().parent / "wrk" / "workload.lua"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Session:
    cookie: str
    csrf_token: str

    def headers(self, extra: dict | None = None) -> dict:
        return {"Cookie": self.cookie, "X-CSRFToken": self.csrf_token, **(extra or {})}


def wait_until_up(url: str, seconds: float = 60) -> None:
    """Poll `url` until it answers at all (any HTTP status); raise after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {seconds:.0f} s") from None
            time.sleep(0.3)


def login(base_url: str, login_path: str, username: str, password: str) -> Session:
    """Fill in the login form with its CSRF token; the session is what the browser would keep."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base_url + login_path, timeout=30).read().decode()
    token = CSRF_INPUT.search(page).group(1)
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(base_url + login_path, data=form.encode(),
                                     headers={"Referer": base_url + login_path})
    opener.open(request, timeout=30).close()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"logging in as {username} at {base_url}{login_path} failed")
    return Session(cookie="; ".join(f"{name}={value}" for name, value in cookies.items()),
                   csrf_token=cookies.get("csrftoken", token))


def fetch(base_url: str, path: str, session: Session, data: bytes | None = None) -> tuple[int, bytes]:
    """One request with the session (a JSON POST when `data` is given), for what a workload needs to know."""
    headers = session.headers({"Content-Type": "application/json"} if data is not None else None)
    request = urllib.request.Request(base_url + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as failure:
        return failure.code, failure.read()


def run_wrk(base_url: str, paths: list[str], *, session: Session | None = None, method: str = "GET",
            body: str | None = None, headers: dict | None = None, connections: int = 2,
            seconds: int = 15, warmup_seconds: int = 3) -> dict:
    """Warm up, then load the server for `seconds` over `connections` connections; figures from wrk."""
    every_header = {**(session.headers() if session else {}), **(headers or {})}
    if body is not None:
        every_header.setdefault("Content-Type", "application/json")
    environment = {**os.environ, "BENCH_METHOD": method, "BENCH_PATHS": "|".join(paths),
                   "BENCH_HEADERS": "|".join(f"{name}: {value}" for name, value in every_header.items())}
    if body is not None:
        environment["BENCH_BODY"] = body
    for duration in (warmup_seconds, seconds):
        completed = subprocess.run(
            ["wrk", "-t", str(connections), "-c", str(connections), "-d", f"{duration}s", "--timeout", "30s",
             "-s", str(LUA), base_url], env=environment, capture_output=True, text=True, check=True)
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    if figures["non_2xx"] or figures["socket_errors"]:
        raise RuntimeError(f"{method} {paths[0]}: {figures['non_2xx']} answers were not 2xx, "
                           f"{figures['socket_errors']} socket errors")
    return figures
