"""gunicorn settings for one app server: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`."""

import multiprocessing
import os

bind = os.environ.get("GLOSSARY_BIND", "127.0.0.1:8000")
# Annotation is CPU work: one process per core, plus one to cover a worker
# blocked on the database.
workers = int(os.environ.get("GLOSSARY_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Each worker compiles the glossary once, then follows `glossary sync` by
# itself; recycling workers now and then bounds any slow growth in memory.
max_requests = 20000
max_requests_jitter = 2000
timeout = 30
graceful_timeout = 30
# Behind the reverse proxy: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GLOSSARY_PROXY_IPS", "127.0.0.1")
accesslog = "-"
