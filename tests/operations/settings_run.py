"""Load hoth.settings in a fresh interpreter with exactly the environment a
deployment would give it, since settings are read once, at import."""

import json
import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

from hoth.audit.keys import new_audit_key

REPO = Path(__file__).resolve().parents[2]


def production_environment(**overrides):
    """A production environment (HOTH_DEBUG unset) with throwaway secrets,
    nothing inherited from the test run's own HOTH_* or DATABASE_URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTH_") and k != "DATABASE_URL"}
    env.update(
        HOTH_SECRET_KEY="test-only-" + "x" * 50,
        HOTH_FIELD_KEYS=Fernet.generate_key().decode(),
        HOTH_AUDIT_KEYS=new_audit_key("k1"),
        HOTH_ALLOWED_HOSTS="hoth.example.org",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def load_settings(env, *names):
    """Import the settings with `env`; return (the named settings, or None, stderr)."""
    code = (
        "import json, sys\n"
        "import hoth.settings as s\n"
        f"json.dump({{n: getattr(s, n) for n in {list(names)!r}}}, sys.stdout, default=str)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        return None, result.stderr
    return json.loads(result.stdout), result.stderr
