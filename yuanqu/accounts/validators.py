"""Password rules of 等级保护 that Django's own validators do not cover."""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from yuanqu.accounts.models import User

CLASSES: tuple[tuple[str, str], ...] = (
    ("大写字母", string.ascii_uppercase),
    ("小写字母", string.ascii_lowercase),
    ("数字", string.digits),
)
CLASS_NAMES = "、".join([name for name, _ in CLASSES] + ["符号"])


class CharacterClassesValidator:
    """At least `min_classes` of: upper-case, lower-case, digit, symbol (GB/T 22239 身份鉴别:
    口令具有复杂度要求). Any character that is not an ASCII letter or digit counts as a symbol,
    so a Chinese character or a space adds the fourth class."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def _classes(self, password: str) -> int:
        found = sum(1 for _, chars in CLASSES if any(c in chars for c in password))
        symbols = any(not (c.isascii() and c.isalnum()) for c in password)
        return found + int(symbols)

    def validate(self, password: str, user: User | None = None) -> None:
        if self._classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须至少包含{CLASS_NAMES}中的 {self.min_classes} 类字符。",
                code="password_too_simple",
                params={"min_classes": self.min_classes},
            )

    def get_help_text(self) -> str:
        return f"密码须至少包含{CLASS_NAMES}中的 {self.min_classes} 类字符。"


class MinimumLengthChineseValidator(MinimumLengthValidator):
    """Django's length rule, in Chinese whatever the browser's language: Django 5.2's zh_Hans
    catalogue lacks this message, and the policy's wording should not depend on it."""

    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"
