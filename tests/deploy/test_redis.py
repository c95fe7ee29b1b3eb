"""Redis is an optional extra (`pip install '.[redis]'`): with REDIS_URL the job queue and the
cache are Redis, without the package the start-up stops with what to do, and the settings'
queue and cache really work against a local Redis (docs/deploy.md, "Redis")."""

import os
import runpy
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache.backends.redis import RedisCache
from huey.utils import load_class

ROOT = Path(__file__).resolve().parents[2]
# Database 15 of the local Redis; keys carry a random name and are removed afterwards.
TEST_REDIS_URL = os.environ.get("DANHGIA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def settings_with(monkeypatch: pytest.MonkeyPatch, redis_url: str | None) -> dict[str, Any]:
    """The settings module as a fresh import sees it with (or without) REDIS_URL."""
    if redis_url is None:
        monkeypatch.delenv("REDIS_URL", raising=False)
    else:
        monkeypatch.setenv("REDIS_URL", redis_url)
    return runpy.run_path(str(ROOT / "config" / "settings.py"), run_name="settings_under_test")


def redis_unreachable() -> str | None:
    parts = urlsplit(TEST_REDIS_URL)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if not sock.recv(16).startswith(b"+PONG"):
                return f"{TEST_REDIS_URL} does not answer PING"
    except OSError as error:
        return f"no Redis at {TEST_REDIS_URL} ({error})"
    return None


def test_without_redis_url_the_queue_is_sqlite_and_the_cache_local(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = settings_with(monkeypatch, None)
    assert settings["HUEY"]["huey_class"] == "huey.SqliteHuey"
    assert "CACHES" not in settings  # Django's default: local memory


def test_redis_url_switches_the_queue_and_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_with(monkeypatch, "redis://queue.example:6379/2")
    assert settings["HUEY"] == {
        "huey_class": "huey.RedisHuey",
        "name": "danhgia",
        "url": "redis://queue.example:6379/2",
        "immediate": True,  # under pytest
        "utc": False,
    }
    cache = settings["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://queue.example:6379/2"


def test_redis_url_without_the_package_stops_with_what_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)  # as if the extra were not installed
    with pytest.raises(RuntimeError, match=r"REDIS_URL is set but the Python package 'redis'"):
        settings_with(monkeypatch, "redis://127.0.0.1:6379/0")


def test_the_application_does_not_start_with_redis_url_and_no_package() -> None:
    """The real start-up (`manage.py check`) in a process where `redis` cannot be imported."""
    hide_redis = (
        "import runpy, sys; sys.modules['redis'] = None; sys.argv = ['manage.py', 'check']; "
        "runpy.run_path('manage.py', run_name='__main__')"
    )
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", hide_redis], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "pip install '.[redis]'" in done.stderr
    assert "remove REDIS_URL" in done.stderr


def test_the_extra_pins_the_client_and_the_dev_tools_include_it() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert [requirement.split("==")[0] for requirement in extras["redis"]] == ["redis"]
    assert "==" in extras["redis"][0]
    assert "danhgia[redis]" in extras["dev"]
    assert not any(requirement.startswith("redis") for requirement in project["dependencies"])


def test_a_task_goes_through_redis_and_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The queue the settings build with REDIS_URL, as the worker uses it: enqueue, take the
    message off Redis, run it, read the result back from Redis."""
    if reason := redis_unreachable():
        pytest.skip(reason)
    config = dict(settings_with(monkeypatch, TEST_REDIS_URL)["HUEY"])
    huey_class = load_class(config.pop("huey_class"))
    name = f"{config.pop('name')}-test-{uuid.uuid4().hex}"
    huey = huey_class(name, **{**config, "immediate": False})
    try:

        @huey.task()
        def converted(quantity: int, coefficient: str) -> str:
            return str(quantity * float(coefficient))

        result = converted(4, "0.5")
        assert huey.pending_count() == 1
        message = huey.dequeue()
        assert message is not None and huey.pending_count() == 0
        huey.execute(message)
        assert result.get() == "2.0"
    finally:
        huey.flush()


def test_the_cache_goes_through_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    if reason := redis_unreachable():
        pytest.skip(reason)
    params = dict(settings_with(monkeypatch, TEST_REDIS_URL)["CACHES"]["default"])
    params["KEY_PREFIX"] = f"{params['KEY_PREFIX']}-test-{uuid.uuid4().hex}"
    cache = RedisCache(params.pop("LOCATION"), params)
    try:
        cache.set("throttle", [1, 2, 3], timeout=30)
        assert RedisCache(TEST_REDIS_URL, params).get("throttle") == [1, 2, 3]
        assert cache.add("hits", 1) and not cache.add("hits", 5)
        assert cache.incr("hits") == 2
    finally:
        cache.delete_many(["throttle", "hits"])
        cache.close()
