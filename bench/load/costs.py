"""What each request of the month-end scenario costs alone: one person's path through the
pages, one request at a time, in process (Django's test client), on a fresh copy of the load
template. The load test's latencies are these costs plus the wait for a free worker.

    .venv/bin/python bench/load/costs.py       # needs bench/load/seed.py's template

Each step is run `--repeat` times on fresh people (the first, cold, run is left out) and the
median is printed with its query count.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", default=seed.DEFAULT_DATABASE)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    server = database.server_from_environment()
    database.create(server, COPY, template=args.template)
    os.environ.update(
        DATABASE_URL=server.url(COPY),
        DJANGO_SETTINGS_MODULE="config.settings",
        AXES_ENABLED="0",
        ALLOWED_HOSTS="testserver",
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    times: dict[str, list[float]] = {}
    queries: dict[str, int] = {}

    def timed(label: str, call: Callable[..., Any], *args: Any) -> Any:
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = call(*args)
            elapsed = time.perf_counter() - began
        assert response.status_code in {200, 302}, (label, response.status_code)
        times.setdefault(label, []).append(elapsed)
        queries[label] = len(captured.captured_queries)
        return response

    def logged_in(username: str, record: bool) -> Client:
        client = Client()
        timed("login page" if record else "cold", client.get, "/tai-khoan/dang-nhap/")
        credentials = {"username": username, "password": seed.PASSWORD}
        timed("log in" if record else "cold", client.post, "/tai-khoan/dang-nhap/", credentials)
        return client

    for run in range(args.repeat + 1):
        record = run > 0  # the first run loads templates and code: left out

        def label(name: str, record: bool = record) -> str:
            return name if record else "cold"

        client = logged_in(f"{seed.STAFF_PREFIX}{run * 10 + 1:04d}", record)
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
        timed(label("save"), client.post, form_url, {**data, "action": "save"})
        timed(label("submit"), client.post, form_url, {**data, "action": "submit"})
        manager = logged_in(f"{seed.MANAGER_PREFIX}{run + 1:03d}", False)
        timed(label("manager's my sheets"), manager.get, "/danh-gia/")
        review_url = url + "nhan-xet/"
        review = timed(label("review form"), manager.get, review_url).content.decode()
        scores = dict(re.findall(r'name="(score_[^"]+)"[^>]*value="([\d.]+)"', review))
        post = {**scores, "proposed_level": "good", "comment": "", "action": "review"}
        timed(label("review"), manager.post, review_url, post)
    head = logged_in(f"{seed.HEAD_PREFIX}01", False)
    for _ in range(args.repeat):
        listing = timed("decision list", head.get, "/danh-gia/quyet-dinh/").content.decode()
        page = re.search(r'href="(/danh-gia/quyet-dinh/\d+/\d+/)"', listing).group(1)  # type: ignore[union-attr]
        timed("decision page (100 rows)", head.get, page)
    connection.close()
    database.drop(server, COPY)

    times.pop("cold", None)
    width = max(len(label) for label in times)
    print(f"\nOne request at a time, median of {args.repeat} (ms, queries)")
    for label, values in times.items():
        print(f"{label.ljust(width)}  {statistics.median(values) * 1000:7.1f}  {queries[label]:3}")


if __name__ == "__main__":
    main()
