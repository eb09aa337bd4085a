"""Chinese first: the interface defaults to zh-hans and the catalogue is complete."""

import shutil
import subprocess
from pathlib import Path

from django.conf import settings as django_settings

PO = Path(django_settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_product_default_language_is_simplified_chinese():
    # conftest pins tests to English source strings; the setting itself must say zh-hans.
    from xianfeng import settings as product_settings

    assert product_settings.LANGUAGE_CODE == "zh-hans"
    assert product_settings.TIME_ZONE == "Asia/Shanghai"


def test_a_page_renders_in_chinese_without_an_accept_language_header(client, db, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    response = client.get("/login/")
    assert "登录" in response.content.decode()


def test_the_catalogue_has_no_untranslated_or_fuzzy_entries():
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (Debian gettext) is installed by make"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
