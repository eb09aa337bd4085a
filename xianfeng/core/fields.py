from __future__ import annotations

from typing import Any

from django.db import models

from xianfeng.core import crypto


class EncryptedTextField(models.TextField):
    """Stores a Fernet token; Python code sees the plain string.

    The column cannot be filtered or sorted on; pair it with a `*_hash` column for equality look-ups.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))
