"""A real FreshRSS server for the tests, from `../shared/servers/freshrss/` beside the
checkout (README there): started once per test session in its own work folder on free ports,
stopped (both process groups) at the end. Each test gets its own FreshRSS user, subscribed
to the demo feeds, so tests never see each other's changes.

Tests using it skip when the folder or PHP is absent. `NEWSREADER_SHARED_DIR` may point at
the shared folder when the checkout is not beside it (a git worktree elsewhere).
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import REPO

SHARED = Path(os.environ.get("NEWSREADER_SHARED_DIR") or REPO.parent / "shared")
FRESHRSS = SHARED / "servers" / "freshrss"
API_PASSWORD = "apipass1"
_users = itertools.count(1)


def missing() -> str | None:
    """Why FreshRSS cannot run here, or None."""
    if not (FRESHRSS / "start.sh").is_file():
        return f"FreshRSS is not at {FRESHRSS}"
    if shutil.which("php") is None:
        return "PHP is not installed (scripts/system-deps.sh installs it)"
    return None


@dataclass(frozen=True)
class FreshRSS:
    """A running server: its work folder and the values start.sh printed."""

    work: Path
    env: dict[str, str]

    @classmethod
    def start(cls, work: Path, opml: Path | None = None) -> FreshRSS:
        work.mkdir(parents=True, exist_ok=True)
        environment = {**os.environ, "WORK": str(work)}
        if opml is not None:
            environment["FRSS_OPML"] = str(opml)
        done = subprocess.run(
            ["bash", str(FRESHRSS / "start.sh")],
            env=environment,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"FreshRSS did not start: {done.stderr[-2000:]}")
        values = dict(
            line.split("=", 1) for line in (work / "env.sh").read_text().splitlines() if "=" in line
        )
        return cls(work=work, env=values)

    def stop(self) -> None:
        subprocess.run(["sh", str(self.work / "stop.sh")], check=False, timeout=30)

    @property
    def greader_url(self) -> str:
        return self.env["GREADER_URL"]

    @property
    def fever_url(self) -> str:
        return self.env["FEVER_URL"]

    @property
    def feed_url(self) -> str:
        return self.env["FEED_URL"]

    def php(self, *args: str) -> str:
        """Runs a FreshRSS command-line script (cli/...) on this server's data."""
        done = subprocess.run(
            ["php", *args],
            cwd=FRESHRSS / "tree",
            env={
                **os.environ,
                "DATA_PATH": self.env["DATA_PATH"],
                "TMPDIR": str(self.work / "tmp"),
            },
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode not in (0, 1):
            raise RuntimeError(f"php {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    def new_user(self) -> ServerUser:
        """A new user of its own, subscribed to the demo feeds (alpha, beta) and fetched."""
        name = f"user{next(_users)}"
        self.php(
            "cli/create-user.php",
            "--user",
            name,
            "--password",
            "webpass1",
            "--api-password",
            API_PASSWORD,
        )
        self.php("cli/actualize-user.php", "--user", name)
        return ServerUser(self, name)


@dataclass(frozen=True)
class ServerUser:
    """One FreshRSS user, and another client of it (as a phone would be) for the tests."""

    server: FreshRSS
    name: str
    password: str = API_PASSWORD

    def client(self) -> GReaderClient:
        return GReaderClient(self.server.greader_url, self.name, self.password)

    def change_api_password(self, password: str) -> None:
        """Changes the API password on the server, and waits (at most a minute) until the
        server answers with it: PHP's code cache serves the user's old settings file for up to
        a few seconds after it changed."""
        self.server.php("cli/update-user.php", "--user", self.name, "--api-password", password)
        deadline = time.monotonic() + 60
        with httpx.Client(timeout=30) as http:
            while time.monotonic() < deadline:
                answer = http.post(
                    self.server.greader_url + "/accounts/ClientLogin",
                    data={"Email": self.name, "Passwd": password},
                )
                if answer.status_code == 200:
                    return
                time.sleep(0.1)
        raise RuntimeError("the server never took the new API password")


class GReaderClient:
    """Plain synchronous Google Reader API calls: what another device does on the server."""

    def __init__(self, base: str, user: str, password: str) -> None:
        self.base = base
        self.http = httpx.Client(timeout=30)
        answer = self.http.post(
            base + "/accounts/ClientLogin", data={"Email": user, "Passwd": password}
        )
        answer.raise_for_status()
        auth = next(line[5:] for line in answer.text.splitlines() if line.startswith("Auth="))
        self.http.headers["Authorization"] = f"GoogleLogin auth={auth}"
        self.token = self.http.get(base + "/reader/api/0/token").text.strip()

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, **params: str | int) -> dict[str, object]:
        answer = self.http.get(
            self.base + "/reader/api/0" + path, params={**params, "output": "json"}
        )
        answer.raise_for_status()
        result: dict[str, object] = answer.json()
        return result

    def post(self, path: str, data: dict[str, str | list[str]]) -> str:
        answer = self.http.post(self.base + "/reader/api/0" + path, data={**data, "T": self.token})
        answer.raise_for_status()
        return answer.text

    def subscription_urls(self) -> dict[str, dict[str, object]]:
        subscriptions = self.get("/subscription/list")["subscriptions"]
        assert isinstance(subscriptions, list)
        return {str(s["url"]): s for s in subscriptions}

    def item_ids(self, stream: str, **params: str | int) -> set[int]:
        refs = self.get("/stream/items/ids", s=stream, n=10000, **params)["itemRefs"]
        assert isinstance(refs, list)
        return {int(ref["id"]) for ref in refs}

    def unread_ids(self) -> set[int]:
        return self.item_ids(
            "user/-/state/com.google/reading-list", xt="user/-/state/com.google/read"
        )

    def starred_ids(self) -> set[int]:
        return self.item_ids("user/-/state/com.google/starred")

    def all_ids(self) -> set[int]:
        return self.item_ids("user/-/state/com.google/reading-list")
