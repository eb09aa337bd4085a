from xianfeng.lifecycle.views.away import mobile_contact, mobile_return, mobile_start, mobile_update
from xianfeng.lifecycle.views.info import info_add, info_edit, info_remove
from xianfeng.lifecycle.views.letters import (
    letter_in,
    letter_in_new,
    letter_out,
    letter_receive,
    letter_return,
)
from xianfeng.lifecycle.views.lists import letters_list, mobile_list, suspensions_list
from xianfeng.lifecycle.views.medal import medal_download, medal_list
from xianfeng.lifecycle.views.suspensions import suspension_remove, suspension_restore, suspension_start

__all__ = [
    "info_add",
    "info_edit",
    "info_remove",
    "letter_in",
    "letter_in_new",
    "letter_out",
    "letter_receive",
    "letter_return",
    "letters_list",
    "medal_download",
    "medal_list",
    "mobile_contact",
    "mobile_list",
    "mobile_return",
    "mobile_start",
    "mobile_update",
    "suspension_remove",
    "suspension_restore",
    "suspension_start",
    "suspensions_list",
]
