"""统一社会信用代码 (GB 32100-2015): validation with the check character, and generation.

The code has 18 characters from a 31-character set (no I, O, S, V, Z). Character 18 is a
check character: with weights w_i = 3^(i-1) mod 31 over the first 17 characters,
check value = (31 - Σ v_i·w_i mod 31) mod 31.
"""

from __future__ import annotations

from operator import mul

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(CHARSET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class USCCError(ValueError):
    """A credit code that fails GB 32100; the message is Chinese and names the fault."""


def check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a code."""
    if len(first17) != 17:
        raise ValueError("check_character needs exactly 17 characters")
    total = sum(map(mul, map(VALUES.__getitem__, first17), WEIGHTS))
    return CHARSET[(31 - total % 31) % 31]


def normalize_uscc(value: object) -> str:
    """Upper-case, strip spaces and convert full-width characters (what Excel users paste)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", str(value or "")).strip().upper()
    return "".join(text.split())


_CHARSET_SET = frozenset(CHARSET)
# Each character of the set → its value, as one byte (`bytes.translate` at C speed).
_VALUE_BYTES = bytes.maketrans(CHARSET.encode("ascii"), bytes(range(len(CHARSET))))


def _check_clean(first17: str) -> str:
    """`check_character` of 17 characters already known to be in the set (no lookups per
    character in Python: a 470,000-row import checks every code; issue 16)."""
    total = sum(map(mul, first17.encode("ascii").translate(_VALUE_BYTES), WEIGHTS))
    return CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: object) -> str:
    """Return the normalised code, or raise USCCError saying exactly what is wrong."""
    if (
        type(value) is str
        and len(value) == 18
        and _CHARSET_SET.issuperset(value)
        and value[2:8].isdigit()
        and _check_clean(value[:17]) == value[17]
    ):
        return value  # already clean (the usual case): no normalising needed
    code = normalize_uscc(value)
    if not code:
        raise USCCError("统一社会信用代码为空：请填写18位统一社会信用代码")
    if len(code) != 18:
        raise USCCError(f"统一社会信用代码“{code}”长度为{len(code)}位，应为18位")
    for pos, ch in enumerate(code, start=1):
        if ch not in VALUES:
            raise USCCError(
                f"统一社会信用代码“{code}”第{pos}位字符“{ch}”不在 GB 32100 允许的字符集内"
                "（数字0-9及大写字母，不含 I、O、S、V、Z）"
            )
    if not code[2:8].isdigit():
        raise USCCError(f"统一社会信用代码“{code}”第3-8位（登记管理机关行政区划码）应为6位数字")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise USCCError(
            f"统一社会信用代码“{code}”校验位错误：第18位为“{code[17]}”，按 GB 32100 计算应为“{expected}”，"
            "请核对代码是否抄错"
        )
    return code


def is_valid_uscc(value: object) -> bool:
    try:
        validate_uscc(value)
    except USCCError:
        return False
    return True


def make_uscc(first17: str) -> str:
    """Complete a 17-character prefix with its check character (for demo and test data)."""
    prefix = normalize_uscc(first17)
    if len(prefix) != 17 or any(ch not in VALUES for ch in prefix):
        raise USCCError(f"前17位“{prefix}”无效")
    return prefix + check_character(prefix)
