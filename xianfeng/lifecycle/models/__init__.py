"""Membership lifecycle records: transfer letters, time away (mobile members), suspensions, and the
repeatable info sets of a member's record. Only lifecycle.services writes them."""

from xianfeng.lifecycle.models.info import (
    FamilyMember,
    HardshipRecord,
    InfoEntry,
    RewardPunishment,
    TrainingRecord,
    TripAbroad,
)
from xianfeng.lifecycle.models.letters import TransferLetter
from xianfeng.lifecycle.models.mobility import MobileContact, MobileRecord
from xianfeng.lifecycle.models.suspension import Suspension

__all__ = [
    "FamilyMember",
    "HardshipRecord",
    "InfoEntry",
    "MobileContact",
    "MobileRecord",
    "RewardPunishment",
    "Suspension",
    "TrainingRecord",
    "TransferLetter",
    "TripAbroad",
]
