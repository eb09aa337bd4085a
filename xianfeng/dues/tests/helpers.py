import datetime as dt
from decimal import Decimal

from xianfeng.dues import services
from xianfeng.dues.choices import DuesCategory, PaymentMethod

YEAR = 2025


def m(month, year=YEAR):
    return dt.date(year, month, 1)


def set_base(membership, base="4000.00", year=YEAR, category=DuesCategory.EMPLOYED, actor=None, **kw):
    return services.dues_base_set(
        actor=actor, membership=membership, year=year, category=category, base=Decimal(base), **kw
    )


def pay(membership, month_owed, amount="40.00", paid_on=None, actor=None, **kw):
    return services.dues_payment_record(
        actor=actor,
        membership=membership,
        month_owed=month_owed,
        amount=Decimal(amount),
        paid_on=paid_on or month_owed + dt.timedelta(days=9),
        method=PaymentMethod.CASH,
        **kw,
    )
