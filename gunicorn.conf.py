"""gunicorn's settings for the HOTH service in production.

gunicorn reads this file from its working directory (the image's /app, or
the checkout in deploy/systemd/hoth-web.service). Every number can be changed
through the environment without editing it.
"""

import multiprocessing
import os


def _number(name, default):
    return int(os.environ.get(name, default))


bind = os.environ.get("HOTH_BIND", "0.0.0.0:8000")

# Sync workers: each request has a worker and a database connection to itself,
# which is what Django's views and the audit writer's transactions expect.
# gunicorn's rule of thumb (two per core, plus one), capped because each holds
# a PostgreSQL connection.
workers = _number("HOTH_WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 12))
# A problem profile's PDF takes seconds; nothing legitimate takes a minute.
timeout = _number("HOTH_WEB_TIMEOUT", 60)
graceful_timeout = 30
# The proxy keeps connections to us open between requests.
keepalive = 5
# Recycle workers now and then, so that slow growth in memory never adds up.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files in memory: a container's overlay filesystem can stall them.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# The proxy (deploy/Caddyfile) opens each connection with a PROXY protocol v2
# header carrying the client's real address, which gunicorn puts in
# REMOTE_ADDR: the one address the audit log records (hoth.audit.log.client_ip).
# It is believed only from the proxy's addresses; nothing reads
# X-Forwarded-For. Off unless the proxy in front sends it (a proxy that cannot,
# such as nginx's HTTP proxy, leaves the audit log with the proxy's address).
proxy_protocol = os.environ.get("HOTH_PROXY_PROTOCOL", "off")
proxy_allow_ips = os.environ.get("HOTH_PROXY_ALLOW_IPS", "127.0.0.1,::1")
# Where X-Forwarded-Proto is believed from (Django reads it too, through
# SECURE_PROXY_SSL_HEADER: only the proxy can reach gunicorn).
forwarded_allow_ips = proxy_allow_ips

# Logs go to standard output and error, for the container runtime or journald.
# The access log has the path without its query string and no referrer: a
# search's query string holds the name that was searched for.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("HOTH_GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

# No run-time control socket: nothing administers the server from inside.
control_socket_disable = True


def post_worker_init(worker):
    """Import every page's code before the worker takes its first request: the
    analytics and PDF libraries take seconds to import, which would otherwise
    fall on the first person (or health check) each new worker serves."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (reading it imports every view now, before forking)
