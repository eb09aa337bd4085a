"""Production refuses to start with development secrets (run in a fresh interpreter each time)."""

import os
import subprocess
import sys

from cryptography.fernet import Fernet

CHECK = "import django; django.setup(); print('started')"


def _start(**env):
    full = {k: v for k, v in os.environ.items() if not k.startswith("XIANFENG_")}
    full.update({"DJANGO_SETTINGS_MODULE": "xianfeng.settings", **env})
    return subprocess.run([sys.executable, "-c", CHECK], env=full, capture_output=True, text=True, timeout=60)


def _secrets(**over):
    real = {
        "XIANFENG_ENV": "production",
        "XIANFENG_SECRET_KEY": "s" * 50,
        "XIANFENG_DATA_KEY": Fernet.generate_key().decode(),
        "XIANFENG_LOOKUP_KEY": "l" * 40,
    }
    return {k: v for k, v in {**real, **over}.items() if v is not None}


def test_production_without_a_secret_key_refuses_to_start():
    result = _start(**_secrets(XIANFENG_SECRET_KEY=None))
    assert result.returncode != 0 and "XIANFENG_SECRET_KEY" in result.stderr


def test_production_without_a_data_key_refuses_to_start():
    result = _start(**_secrets(XIANFENG_DATA_KEY=None))
    assert result.returncode != 0 and "XIANFENG_DATA_KEY" in result.stderr


def test_production_without_a_lookup_key_refuses_to_start():
    result = _start(**_secrets(XIANFENG_LOOKUP_KEY=None))
    assert result.returncode != 0 and "XIANFENG_LOOKUP_KEY" in result.stderr


def test_production_with_real_secrets_starts():
    result = _start(**_secrets())
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_development_starts_with_no_configuration():
    assert _start().returncode == 0
