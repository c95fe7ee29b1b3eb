"""gunicorn settings for danhgia (docs/deploy.md). Command-line options override these:

    gunicorn -c deploy/gunicorn.conf.py config.wsgi:application

Sync workers: every request is short (large exports and e-mails run in the huey worker), and
nginx in front buffers slow clients, so a worker is never held by a slow connection.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# 2 × cores + 1 by default: 5 on the 2-core benchmark machine. Each worker holds at most one
# PostgreSQL connection (CONN_MAX_AGE keeps it open), so workers × app servers + huey workers
# must stay below PostgreSQL's max_connections (100 by default): see docs/scaling.md.
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
worker_class = "sync"
# The slowest page measured (the unfiltered task board of a whole province) takes 1.5 s; a
# request still running after 60 s is stuck: the worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Replace each worker after about 1,000 requests so memory cannot creep up for weeks.
max_requests = 1000
max_requests_jitter = 100
# Logs to the journal (stderr) under systemd.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# nginx on the same machine sets X-Forwarded-* (deploy/nginx/danhgia.conf).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "danhgia"
