from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "xianfeng.scoring"
    label = "scoring"
    verbose_name = _("Evaluation schemes")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from xianfeng.activities.models import Activity, Attendance
        from xianfeng.dues.models import DuesPayment
        from xianfeng.scoring import receivers
        from xianfeng.supervision.signals import work_order_assessed

        # Automatic entries follow their records (recompute.py); uid so a reload never doubles them.
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                receivers.attendance_changed, sender=Attendance, dispatch_uid=f"scoring-att-{name}"
            )
            signal.connect(
                receivers.dues_payment_changed, sender=DuesPayment, dispatch_uid=f"scoring-dues-{name}"
            )
        post_save.connect(receivers.activity_changed, sender=Activity, dispatch_uid="scoring-activity")
        work_order_assessed.connect(receivers.work_order_assessed, dispatch_uid="scoring-work-order")
