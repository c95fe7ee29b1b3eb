"""What each request of the month-end scenario costs alone: one person's path through the
pages, one request at a time, in process (Django's test client), on a fresh copy of the load
template. The load test's latencies are these costs plus the wait for a free worker.

    .venv/bin/python bench/load/costs.py       # needs bench/load/seed.py's template

Each step is run `--repeat` times on fresh people (the first, cold, run is left out) and the
median is printed with its query count. `bench/bench_requests.py` runs the same scenario
(`scenario`) and sets each request's CPU time against the layout floor.
"""

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent.parent)]

import database  # noqa: E402
import seed  # noqa: E402

COPY = "danhgia_load_costs"
DECIDED = 'class="decision card decided"'
DECIDE_FORM = re.compile(
    r'<input type="hidden" name="sheet" value="(\d+)">.*?<option value="([^"]+)" selected>',
    re.S,
)

# timed(label, call, *args, **kwargs) -> response: runs one request and records it.
Timed = Callable[..., Any]


def open_copy(template: str, copy: str) -> database.Server:
    """A fresh copy of the template, and Django set up on it."""
    server = database.server_from_environment()
    database.create(server, copy, template=template)
    os.environ.update(
        DATABASE_URL=server.url(copy),
        DJANGO_SETTINGS_MODULE="config.settings",
        AXES_ENABLED="0",
        ALLOWED_HOSTS="testserver",
    )
    import django

    django.setup()
    return server


def logged_in(timed: Timed, username: str, record: bool) -> Any:
    from django.test import Client

    client = Client()
    timed("login page" if record else "cold", client.get, "/tai-khoan/dang-nhap/")
    credentials = {"username": username, "password": seed.PASSWORD}
    timed("log in" if record else "cold", client.post, "/tai-khoan/dang-nhap/", credentials)
    return client


def scenario(timed: Timed, repeat: int) -> None:
    """The month end, `repeat` times on fresh people after a cold run: a staff member's
    sheet, save and submit; their manager's list, review form and review; then the head's
    decision list, decision page (100 rows), a look again with its ETag (304), and one row
    decided by htmx."""
    for run in range(repeat + 1):
        record = run > 0  # the first run loads templates and code: left out

        def label(name: str, record: bool = record) -> str:
            return name if record else "cold"

        client = logged_in(timed, f"{seed.STAFF_PREFIX}{run * 10 + 1:04d}", record)
        listing = timed(label("my sheets"), client.get, "/danh-gia/").content.decode()
        url = re.search(r'href="(/danh-gia/phieu/\d+/)"', listing).group(1)  # type: ignore[union-attr]
        form_url = url + "tu-danh-gia/"
        timed(label("sheet"), client.get, url)
        html = timed(label("self-evaluation form"), client.get, form_url).content.decode()
        data = {
            name: str(int(float(maximum)))
            for name, maximum in re.findall(r'name="(score_[^"]+)"[^>]*max="([\d.]+)"', html)
        }
        data.update(proposed_level="good", strengths="Đúng hạn.", shortcomings="", proposals="")
        data.update(level_reason="Có thêm việc đột xuất.")  # "good" may be off the band
        timed(label("save"), client.post, form_url, {**data, "action": "save"})
        timed(label("submit"), client.post, form_url, {**data, "action": "submit"})
        manager = logged_in(timed, f"{seed.MANAGER_PREFIX}{run + 1:03d}", False)
        timed(label("manager's my sheets"), manager.get, "/danh-gia/")
        review_url = url + "nhan-xet/"
        review = timed(label("review form"), manager.get, review_url).content.decode()
        scores = dict(re.findall(r'name="(score_[^"]+)"[^>]*value="([\d.]+)"', review))
        post = {**scores, "proposed_level": "good", "comment": "Đồng ý.", "action": "review"}
        timed(label("review"), manager.post, review_url, post)
    head = logged_in(timed, f"{seed.HEAD_PREFIX}01", False)
    for run in range(repeat + 1):
        record = run > 0
        name = "decision page (100 rows)" if record else "cold"
        listing = timed(
            "decision list" if record else "cold", head.get, "/danh-gia/quyet-dinh/"
        ).content.decode()
        page_url = re.search(r'href="(/danh-gia/quyet-dinh/\d+/\d+/)"', listing).group(1)  # type: ignore[union-attr]
        page = timed(name, head.get, page_url)
        etag = page.headers["ETag"]
        look = "decision page, look again (304)" if record else "cold"
        again = timed(look, head.get, page_url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, again.status_code
        form = DECIDE_FORM.search(page.content.decode())
        if form is None:
            continue  # no row waiting (fewer reviews than repeats)
        sheet, level = form.groups()
        decided = timed(
            "decide a row (htmx)" if record else "cold",
            head.post,
            page_url,
            {
                "action": "decide",
                "sheet": sheet,
                f"s{sheet}-level": level,
                f"s{sheet}-reason": "Đạt yêu cầu của đơn vị.",
            },
            HTTP_HX_REQUEST="true",
        )
        assert DECIDED in decided.content.decode(), decided.content.decode()[:500]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", default=seed.DEFAULT_DATABASE)
    parser.add_argument("--copy", default=COPY, help="the database the run copies it to")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    server = open_copy(args.template, args.copy)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: dict[str, list[float]] = {}
    queries: dict[str, int] = {}

    def timed(label: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = call(*args, **kwargs)
            elapsed = time.perf_counter() - began
        assert response.status_code in {200, 302, 304}, (label, response.status_code)
        times.setdefault(label, []).append(elapsed)
        queries[label] = len(captured.captured_queries)
        return response

    scenario(timed, args.repeat)
    connection.close()
    database.drop(server, args.copy)

    times.pop("cold", None)
    width = max(len(label) for label in times)
    print(f"\nOne request at a time, median of {args.repeat} (ms, queries)")
    for label, values in times.items():
        print(f"{label.ljust(width)}  {statistics.median(values) * 1000:7.1f}  {queries[label]:3}")


if __name__ == "__main__":
    main()
