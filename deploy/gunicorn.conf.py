"""gunicorn settings for CivicGrid (`gunicorn -c deploy/gunicorn.conf.py civicgrid.wsgi`).

Every value can be overridden by the environment (GUNICORN_*), so one file serves a small and a large server.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: requests are short (most pages under 100 ms); slow clients are nginx's problem, not ours.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # the longest export stays well under this
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then, against slow leaks in any library
max_requests_jitter = 200
# nginx terminates TLS on the same host and sets X-Forwarded-Proto; trust only it.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
