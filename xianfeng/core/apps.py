from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "xianfeng.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from xianfeng.core import api_schema, signals  # noqa: F401  (schema extension; login audit)
