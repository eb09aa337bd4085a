"""The `xianfeng` console command: Django's management commands under the product's name.

xianfeng demo [--if-empty]      load the demo committee
xianfeng migrate | runserver …  any manage.py command
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["xianfeng", *args])


if __name__ == "__main__":
    main()
