"""Signals other modules listen to, so supervision never imports them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once when an assessment (考核) work order is issued, inside the issuing transaction.
# Keyword arguments: order (the WorkOrder), actor (the User who issued it).
# The evaluation schemes connect a receiver that records a deduction entry for the
# recipient org with the order as evidence.
work_order_assessed = Signal()
