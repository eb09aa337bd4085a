from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "xianfeng.lifecycle"
    label = "lifecycle"
    verbose_name = _("Membership lifecycle")
