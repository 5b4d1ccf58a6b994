"""The container's health check: asks gunicorn for /health/ from inside the
container. Exit 0 when the service answers "ok" (it can reach its database),
1 otherwise.

The request names the service's own host (the first of HOTH_ALLOWED_HOSTS),
since Django refuses any other, and goes over plain HTTP: /health/ is the one
path never redirected to HTTPS.
"""

import http.client
import os
import sys


def main():
    host = os.environ.get("HOTH_ALLOWED_HOSTS", "").split(",")[0].strip() or "localhost"
    port = int(os.environ.get("HOTH_BIND", "0.0.0.0:8000").rsplit(":", 1)[1])
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
        connection.request("GET", "/health/", headers={"Host": host})
        response = connection.getresponse()
        healthy = response.status == 200 and response.read().strip() == b"ok"
    except OSError as error:
        print(f"no answer: {error}", file=sys.stderr)
        return 1
    if not healthy:
        print(f"/health/ answered {response.status}", file=sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
