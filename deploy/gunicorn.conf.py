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
# What backs up the app's own bounds on one request. The app stops a
# conversion after GLOSSARY_ANNOTATE_TIMEOUT (5 s; 422 too-slow), or as soon
# as its client closes the connection, and Markdown is converted in time
# linear in its size (glossary/mdlimits.py). Should a request still run
# away, `timeout` has the arbiter kill a worker that has not answered for
# this many seconds and start a fresh one: keep it well above
# GLOSSARY_ANNOTATE_TIMEOUT. `graceful_timeout` bounds how long a worker may
# finish its request on a restart or reload.
timeout = 30
graceful_timeout = 30
# Sync workers close each connection after answering, and a client that
# sends its body slowly is the reverse proxy's to absorb: nginx buffers a
# request body before passing it on (proxy_request_buffering, on by
# default), and closes its connection to the worker when its client goes
# away (proxy_ignore_client_abort, off by default), which is what lets the
# app notice an abandoned request.
# Behind the reverse proxy: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GLOSSARY_PROXY_IPS", "127.0.0.1")
accesslog = "-"
