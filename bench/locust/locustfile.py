"""Field users of one city against gunicorn (issue 14, item 5), driven by `bench/load.py`.

Reads the accounts file that load.py writes (env `LOAD_ACCOUNTS`): API tokens and a session
cookie per account, the communities' boxes, a unit per community, a JPEG to upload. Three kinds
of users, 8 : 1 : 1, each bound to its own account so that two users never step on one case
(a refused stale `version` would be a 409: the scenario has none, and counts one as an error):

- GridWorker (网格员): reports a case with a photo (multipart, GPS in its community), reads the
  open-case list (API, and the page with its session), follows the list's `next` cursor, opens
  a case;
- Dispatcher (社区): lists its community's reported cases and registers one, lists the
  registered ones and dispatches one to the community's unit, sending the `version` read;
- UnitContact (责任单位): lists the cases dispatched to its unit and answers one with a photo.

Every report carries a unique marker in its description; each 201 is written to
`LOAD_OUT/created-<pid>.txt` (case id and marker), each step's 200 to `steps-<pid>.txt`, so that
load.py can compare them with the database afterwards (no lost or duplicated writes).
"""

import itertools
import json
import os
import random
import uuid
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text(encoding="utf-8"))
OUT = Path(os.environ.get("LOAD_OUT", "."))
PHOTO = Path(ACCOUNTS["photo"]).read_bytes()
WAIT = (float(os.environ.get("LOAD_WAIT_MIN", "10")), float(os.environ.get("LOAD_WAIT_MAX", "30")))
NEXT = {kind: itertools.count() for kind in ("grid", "dispatcher", "unit")}
WRITES: dict[str, list[str]] = {"created": [], "steps": []}


def _account(kind: str) -> dict:
    accounts = ACCOUNTS[kind]
    return accounts[next(NEXT[kind]) % len(accounts)]


@events.test_stop.add_listener
def _write_outcomes(**_kwargs):
    for name, lines in WRITES.items():
        (OUT / f"{name}-{os.getpid()}.txt").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


class FieldUser(HttpUser):
    abstract = True
    kind = ""
    wait_time = between(*WAIT)

    def on_start(self):
        # People do not all act in the second the test starts: each user's first action comes
        # after a random part of one wait (otherwise 500 first actions land within the ramp-up).
        gevent.sleep(random.uniform(0, WAIT[1]))
        self.account = _account(self.kind)
        self.api = {"Authorization": f"Token {self.account['token']}", "Accept": "application/json"}
        self.client.cookies.set(ACCOUNTS["session_cookie"], self.account["session"])

    def get_json(self, url: str, name: str):
        with self.client.get(url, headers=self.api, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return None
            return response.json()

    def step(self, case: dict, route: str, data: dict, files=None) -> None:
        url = f"/api/v1/cases/{case['id']}/{route}/"
        payload = {"version": case["version"], **data}
        kwargs = {"data": payload, "files": files} if files else {"json": payload}
        with self.client.post(
            url, headers=self.api, name=f"POST /api/v1/cases/[id]/{route}/", catch_response=True, **kwargs
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            WRITES["steps"].append(f"{route} {case['id']} {self.account['username']}")

    def list_page(self):
        with self.client.get("/cases/?status=open", name="GET /cases/?status=open (page)", catch_response=True) as r:
            if r.status_code != 200 or 'data-testid="case-table"' not in r.text:
                r.failure(f"{r.status_code}: not the case list (login lost?)")


class GridWorker(FieldUser):
    weight = 8
    kind = "grid"

    @task(4)
    def report(self):
        lat0, lng0, side = self.account["box"]
        marker = uuid.uuid4().hex
        data = {
            "category": ACCOUNTS["category"],
            "description": f"路边散落杂物，影响市容（压测 {marker}）",
            "address": f"和平路{random.randint(1, 400)}号",
            "lat": f"{lat0 + random.uniform(0.05, 0.95) * side:.6f}",
            "lng": f"{lng0 + random.uniform(0.05, 0.95) * side:.6f}",
        }
        files = [("photos", ("photo.jpg", PHOTO, "image/jpeg"))]
        with self.client.post(
            "/api/v1/cases/",
            data=data,
            files=files,
            headers=self.api,
            name="POST /api/v1/cases/ (report + photo)",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            WRITES["created"].append(f"{response.json()['id']} {marker}")

    @task(3)
    def open_list(self):
        body = self.get_json("/api/v1/cases/?status=open", "GET /api/v1/cases/?status=open")
        if body and body.get("next") and random.random() < 0.5:
            self.get_json(body["next"], "GET /api/v1/cases/?cursor= (next page)")
        if body and body["results"]:
            case = random.choice(body["results"])
            self.get_json(f"/api/v1/cases/{case['id']}/", "GET /api/v1/cases/[id]/")

    @task(2)
    def page(self):
        self.list_page()


class Dispatcher(FieldUser):
    weight = 1
    kind = "dispatcher"

    @task(2)
    def register(self):
        body = self.get_json("/api/v1/cases/?status=reported", "GET /api/v1/cases/?status=reported")
        if body and body["results"]:
            self.step(body["results"][-1], "register", {"note": "核实属实，立案"})

    @task(2)
    def dispatch_one(self):
        body = self.get_json("/api/v1/cases/?status=registered", "GET /api/v1/cases/?status=registered")
        if body and body["results"]:
            self.step(body["results"][-1], "dispatch", {"unit": self.account["unit"], "note": "请按时限处置"})

    @task(1)
    def page(self):
        self.list_page()


class UnitContact(FieldUser):
    weight = 1
    kind = "unit"

    @task
    def handle(self):
        body = self.get_json("/api/v1/cases/?status=dispatched", "GET /api/v1/cases/?status=dispatched")
        if body and body["results"]:
            files = [("photos", ("after.jpg", PHOTO, "image/jpeg"))]
            self.step(body["results"][-1], "handle", {"note": "已清理完毕"}, files=files)
