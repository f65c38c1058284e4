"""gunicorn settings for Sentra (`gunicorn -c deploy/gunicorn.conf.py`); each from the
environment so that systemd, `make prod` and bench/load.py share one file."""

import multiprocessing
import os

wsgi_app = "sentra.wsgi:application"
bind = os.environ.get("SENTRA_BIND", "127.0.0.1:8000")
# Threads let a worker serve quick pages while another thread builds a PDF or an export;
# the work is mostly database and template time, so a few processes per core suffice.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("SENTRA_THREADS", "4"))
# A profile PDF or a 100,000-row export of the registry takes seconds, not minutes.
timeout = int(os.environ.get("SENTRA_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then so that a slow leak in a library never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("SENTRA_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
# No runtime control socket: systemd signals the master (HUP reloads), and two instances
# on one machine (a smoke test beside the service) would otherwise share ~/.gunicorn.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
