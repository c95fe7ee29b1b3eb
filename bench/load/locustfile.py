"""The month-end scenario for locust (started by bench/load/month_end.py, which sets the
environment below and reads what this file writes).

Every simulated person does their part once, then stops:
- staff: log in, "my sheets", their sheet, the self-evaluation form, save, submit; about
  `LOAD_DOUBLE_SHARE` (5 %) of them send the submit twice at once, as a double click does;
- managers: log in, then review every sheet of their division that "my sheets" lists as
  waiting, as they appear, until all their staff are done and nothing waits;
- heads: log in, open their decision page from the decision list, decide the rows ready
  (a couple per look) while the division reviews come in, and once all their managers are
  done, "accept all" and decide one by one what it left, with a reason.
Who is done is shared between the simulated people in this process (they stand for people
who know their team has finished); a manager or head never waits for longer than
`LOAD_PATIENCE` seconds without any change.

A person who meets a connection error, a timeout, a 502, 503 or 504 waits a little (the
Retry-After header, at most 5 s, else 1-3 s) and sends the same request again, as a person
presses reload; after `MAX_ATTEMPTS` they give up and stop. Every retry is counted.

Environment: LOAD_USERS (JSON written by month_end.py: password, staff, managers, heads),
LOAD_ACKS (JSONL written here: one line per acknowledged write), LOAD_SUMMARY (JSON written
at the end: counters and error events with their times), LOAD_DOUBLE_SHARE, LOAD_THINK
("1,3": seconds between two steps of a person), LOAD_SEED.
"""

import json
import os
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import gevent
import requests
from locust import HttpUser, events, task
from locust.exception import StopUser

USERS = json.loads(open(os.environ["LOAD_USERS"], encoding="utf-8").read())  # noqa: SIM115
ACKS_PATH = os.environ["LOAD_ACKS"]
SUMMARY_PATH = os.environ["LOAD_SUMMARY"]
DOUBLE_SHARE = float(os.environ.get("LOAD_DOUBLE_SHARE", "0.05"))
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "1,3").split(","))
PATIENCE = float(os.environ.get("LOAD_PATIENCE", "600"))
POLL = tuple(float(x) for x in os.environ.get("LOAD_POLL", "10,20").split(","))
MAX_ATTEMPTS = 40
TIMEOUT = 60.0
RETRYABLE = {502, 503, 504}
RNG = random.Random(int(os.environ.get("LOAD_SEED", "2026")))  # noqa: S311

LOGIN_URL = "/tai-khoan/dang-nhap/"
MY_SHEETS_URL = "/danh-gia/"
DECISIONS_URL = "/danh-gia/quyet-dinh/"
SHEET_URL = re.compile(r"^/danh-gia/phieu/(\d+)/$")
SHEET_LINK = re.compile(r'href="(/danh-gia/phieu/\d+/)"')
REVIEW_LINK = re.compile(r'href="(/danh-gia/phieu/(\d+)/nhan-xet/)"')
DECISION_PAGE_LINK = re.compile(r'href="(/danh-gia/quyet-dinh/\d+/\d+/)"')


# Shared state of the run (all simulated people live in this one process).


@dataclass
class Run:
    started: float = field(default_factory=time.time)
    retries: int = 0
    retries_by_kind: Counter = field(default_factory=Counter)
    events: list[dict[str, Any]] = field(default_factory=list)  # every error seen
    unexpected: list[dict[str, Any]] = field(default_factory=list)
    gave_up: list[str] = field(default_factory=list)
    finished: set[str] = field(default_factory=set)
    acknowledged: Counter = field(default_factory=Counter)
    double_submitters: int = 0
    identities: dict[str, Iterator[Any]] = field(default_factory=dict)


RUN = Run()
RUN.identities = {
    "staff": iter(USERS["staff"]),
    "manager": iter(USERS["managers"]),
    "head": iter(USERS["heads"]),
}
EVERYONE = len(USERS["staff"]) + len(USERS["managers"]) + len(USERS["heads"])
ACK_LOCK = threading.Lock()


def acknowledge(kind: str, sheet: int, user: str, **extra: Any) -> None:
    RUN.acknowledged[kind] += 1
    line = {"kind": kind, "sheet": sheet, "user": user, "time": time.time(), **extra}
    with ACK_LOCK, open(ACKS_PATH, "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


class GaveUp(Exception):
    pass


# HTML forms, as a browser would submit them.


@dataclass
class Form:
    attrs: dict[str, str]
    fields: list[tuple[str, str]] = field(default_factory=list)
    selects: dict[str, list[str]] = field(default_factory=dict)  # name -> option values
    maxima: dict[str, str] = field(default_factory=dict)  # input name -> max attribute

    def value(self, name: str) -> str:
        return next((v for n, v in self.fields if n == name), "")

    def data(self, **changes: str) -> dict[str, str]:
        data = dict(self.fields)
        data.update(changes)
        return data


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(attrs=a)
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in {"submit", "button"}:
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self._form.fields.append(
                (name, a.get("value", "on" if a.get("type") == "checkbox" else ""))
            )
            if "max" in a:
                self._form.maxima[name] = a["max"]
        elif tag == "select":
            self._select, self._select_value, self._first_option = name, None, None
            self._form.selects[name] = []
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._form.selects[self._select].append(value)
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            chosen = self._select_value if self._select_value is not None else self._first_option
            self._form.fields.append((self._select, chosen or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def csrf_of(html: str) -> str:
    for form in forms_of(html):
        token = form.value("csrfmiddlewaretoken")
        if token:
            return token
    return ""


# The simulated people.


class Person(HttpUser):
    abstract = True
    role = ""

    def on_start(self) -> None:
        try:
            self.identity = next(RUN.identities[self.role])
        except StopIteration:
            raise StopUser() from None
        self.username = (
            self.identity if isinstance(self.identity, str) else self.identity["username"]
        )

    def think(self, low: float | None = None, high: float | None = None) -> None:
        gevent.sleep(RNG.uniform(low or THINK[0], high or THINK[1]))

    def call(
        self, method: str, url: str, name: str, expect: tuple[int, ...], **kwargs: Any
    ) -> requests.Response:
        """Send the request until it is answered with something else than a connection error,
        a timeout or 502/503/504 (retrying like a person); record what is not `expect`."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            with self.client.request(
                method,
                url,
                name=name,
                catch_response=True,
                allow_redirects=False,
                timeout=TIMEOUT,
                **kwargs,
            ) as response:
                status = response.status_code or 0
                if status in expect:
                    response.success()
                    return response
                if status == 0:
                    error = getattr(response, "error", None)
                    kind = "timeout" if isinstance(error, requests.Timeout) else "connection"
                else:
                    kind = str(status)
                event = {"time": time.time(), "kind": kind, "name": name, "user": self.username}
                RUN.events.append(event)
                if status and status not in RETRYABLE:
                    RUN.unexpected.append({**event, "url": url, "body": response.text[:300]})
                    response.failure(f"unexpected {status}")
                    return response
                response.failure(kind)
                wait = RNG.uniform(1, 3)
                retry_after = response.headers.get("Retry-After", "") if status else ""
                if retry_after.isdigit():
                    wait = min(float(retry_after), 5.0)
            if attempt == MAX_ATTEMPTS:
                break
            RUN.retries += 1
            RUN.retries_by_kind[kind] += 1
            gevent.sleep(wait)
        RUN.gave_up.append(self.username)
        raise GaveUp(f"{self.username}: {method} {url} failed {MAX_ATTEMPTS} times")

    def get(self, url: str, name: str) -> str:
        return self.call("GET", url, name, (200,)).text

    def log_in(self) -> None:
        page = self.get(LOGIN_URL, "login page")
        response = self.call(
            "POST",
            LOGIN_URL,
            "login",
            (302,),
            data={
                "csrfmiddlewaretoken": csrf_of(page),
                "username": self.username,
                "password": USERS["password"],
            },
            headers={"Referer": self.host + LOGIN_URL},
        )
        if response.status_code != 302:
            raise GaveUp(f"{self.username}: login refused")

    def post_form(
        self, url: str, name: str, data: dict[str, str], expect: tuple[int, ...] = (302,), **kw: Any
    ) -> requests.Response:
        headers = {"Referer": self.host + url, **kw.pop("headers", {})}
        return self.call("POST", url, name, expect, data=data, headers=headers, **kw)

    @task
    def do_my_part(self) -> None:
        try:
            self.log_in()
            self.think()
            self.part()
        except GaveUp:
            pass
        finally:
            RUN.finished.add(self.username)
        raise StopUser()

    def part(self) -> None:
        raise NotImplementedError


class Staff(Person):
    role = "staff"
    weight = 1

    def part(self) -> None:
        sheets = self.get(MY_SHEETS_URL, "my sheets")
        link = SHEET_LINK.search(sheets)
        if link is None:
            RUN.unexpected.append({"time": time.time(), "kind": "no sheet", "user": self.username})
            return
        sheet_url = link.group(1)
        sheet_id = int(SHEET_URL.match(sheet_url).group(1))  # type: ignore[union-attr]
        self.think()
        self.get(sheet_url, "sheet")
        self.think()
        form_url = f"{sheet_url}tu-danh-gia/"
        page = self.get(form_url, "self-evaluation form")
        form = next(f for f in forms_of(page) if f.attrs.get("action") == form_url)
        data = form.data(
            strengths="Hoàn thành đúng hạn các nhiệm vụ được giao.",
            shortcomings="Cần chủ động hơn trong phối hợp.",
            proposals="",
            # A level off the band of the score needs its reason (services/band_reason.py).
            level_reason="Có thêm việc đột xuất trong tháng.",
        )
        for name, maximum in form.maxima.items():
            top = int(float(maximum))
            data[name] = str(RNG.randint(max(top - 2, 0), top))
        levels = [code for code in form.selects.get("proposed_level", []) if code]
        data["proposed_level"] = (
            levels[0] if RNG.random() < 0.3 else levels[min(1, len(levels) - 1)]
        )
        self.think()
        self.post_form(form_url, "save", {**data, "action": "save"})
        self.think()
        submit = {**data, "action": "submit"}
        if RNG.random() < DOUBLE_SHARE:
            RUN.double_submitters += 1
            clicks = [gevent.spawn(self.submit, form_url, submit, sheet_id, True) for _ in (1, 2)]
            gevent.joinall(clicks, raise_error=True)
        else:
            self.submit(form_url, submit, sheet_id, False)

    def submit(self, url: str, data: dict[str, str], sheet_id: int, double: bool) -> None:
        response = self.post_form(url, "submit", data)
        if response.status_code == 302 and response.headers.get("Location", "").endswith(
            f"/danh-gia/phieu/{sheet_id}/"
        ):
            acknowledge("submit", sheet_id, self.username, double=double)


class Manager(Person):
    role = "manager"
    fixed_count = len(USERS["managers"])

    def part(self) -> None:
        staff = set(self.identity["staff"])
        reviewed: set[int] = set()
        last_change = time.time()
        while True:
            page = self.get(MY_SHEETS_URL, "my sheets")
            waiting = [(url, int(pk)) for url, pk in REVIEW_LINK.findall(page)]
            waiting = [(url, pk) for url, pk in waiting if pk not in reviewed]
            for url, pk in waiting:
                self.think()
                self.review(url, pk)
                reviewed.add(pk)
                last_change = time.time()
            if not waiting:
                if staff <= RUN.finished or time.time() - last_change > PATIENCE:
                    return
                self.think(*POLL)

    def review(self, url: str, pk: int) -> None:
        page = self.get(url, "review form")
        forms = [f for f in forms_of(page) if f.attrs.get("action") == url]
        form = next((f for f in forms if "proposed_level" in f.selects), None)
        if form is None:  # no longer reviewable (returned or reviewed meanwhile)
            return
        data = form.data(comment="Đồng ý với tự đánh giá.", action="review")
        if not data.get("proposed_level"):
            levels = [code for code in form.selects.get("proposed_level", []) if code]
            data["proposed_level"] = levels[min(1, len(levels) - 1)]
        self.think()
        response = self.post_form(url, "review", data)
        if response.status_code == 302 and response.headers.get("Location", "").endswith(
            f"/danh-gia/phieu/{pk}/"
        ):
            acknowledge("review", pk, self.username)


class Head(Person):
    role = "head"
    fixed_count = len(USERS["heads"])
    decided_class = 'class="decision card decided"'

    def part(self) -> None:
        managers = set(self.identity["managers"])
        listing = self.get(DECISIONS_URL, "decision list")
        link = DECISION_PAGE_LINK.search(listing)
        if link is None:
            RUN.unexpected.append({"time": time.time(), "kind": "no unit", "user": self.username})
            return
        url = link.group(1)
        last_change = time.time()
        while True:
            self.think(*POLL)
            page = self.get(url, "decision page")
            everyone_done = managers <= RUN.finished or time.time() - last_change > PATIENCE
            ready = [form for form in forms_of(page) if form.attrs.get("class") == "decide"]
            if everyone_done:
                break
            for form in ready[:2]:  # a couple of rows per look while reviews come in
                self.think()
                self.decide(url, form)
                last_change = time.time()
        if 'value="accept_all"' in page:
            token = csrf_of(page)
            self.think()
            self.post_form(
                url, "accept all", {"csrfmiddlewaretoken": token, "action": "accept_all"}, (200,)
            )
            RUN.acknowledged["accept all"] += 1
            page = self.get(url, "decision page")
        for form in [form for form in forms_of(page) if form.attrs.get("class") == "decide"]:
            self.think()
            self.decide(url, form, reason="Quyết định của thủ trưởng sau khi xem xét.")

    def decide(self, url: str, form: Form, reason: str = "") -> None:
        pk = form.value("sheet")
        prefix = f"s{pk}-"
        levels = [code for code in form.selects.get(prefix + "level", []) if code]
        chosen = form.value(prefix + "level")
        for level in [chosen, *levels[levels.index(chosen) + 1 :]] if chosen in levels else levels:
            data = form.data(**{prefix + "level": level, prefix + "reason": reason})
            response = self.post_form(
                url,
                "decide",
                data,
                (200,),
                headers={"HX-Request": "true", "HX-Target": f"sheet-{pk}"},
            )
            if self.decided_class in response.text:
                acknowledge("decide", int(pk), self.username, level=level)
                return
            if not reason:  # refused (a reason or the quota): decided at the end, with one
                return


# The run: stop when everybody is done, then write the summary.


def _watch(environment: Any) -> None:
    while len(RUN.finished) < EVERYONE:
        gevent.sleep(1)
    gevent.sleep(0.5)
    environment.runner.quit()


@events.test_start.add_listener
def on_test_start(environment: Any, **_: Any) -> None:
    RUN.started = time.time()
    open(ACKS_PATH, "w", encoding="utf-8").close()  # noqa: SIM115
    gevent.spawn(_watch, environment)


def _percentiles(entry: Any) -> dict[str, Any]:
    if entry is None or entry.num_requests == 0:
        return {"requests": 0}
    return {
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        **{f"p{int(p * 100)}": entry.get_response_time_percentile(p) for p in (0.5, 0.95, 0.99)},
    }


@events.test_stop.add_listener
def on_test_stop(environment: Any, **_: Any) -> None:
    stats = environment.stats
    duration = time.time() - RUN.started
    groups = {
        name: _percentiles(stats.get(name, "POST"))
        for name in ("submit", "review", "decide", "accept all")
    }
    summary = {
        "started": RUN.started,
        "duration": duration,
        "everyone": EVERYONE,
        "finished": len(RUN.finished),
        "total": _percentiles(stats.total),
        "groups": groups,
        "by_name": {f"{e.method} {e.name}": _percentiles(e) for e in stats.entries.values()},
        "retries": RUN.retries,
        "retries_by_kind": dict(RUN.retries_by_kind),
        "events": RUN.events,
        "unexpected": RUN.unexpected,
        "gave_up": RUN.gave_up,
        "acknowledged": dict(RUN.acknowledged),
        "double_submitters": RUN.double_submitters,
    }
    with open(SUMMARY_PATH, "w", encoding="utf-8") as out:
        json.dump(summary, out, indent=1)
