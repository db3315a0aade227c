import pytest

from yuanqu.core.uscc import USCCError, check_character, make_uscc, validate_uscc


def test_valid_code_from_domain_is_accepted():
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"


def test_full_width_and_lowercase_are_normalised():
    assert validate_uscc(" ９１３５０１００m000100y43 ") == "91350100M000100Y43"


def test_wrong_check_character_names_expected_one():
    with pytest.raises(USCCError) as exc:
        validate_uscc("91350100M000100Y44")
    msg = str(exc.value)
    assert "校验位错误" in msg and "第18位为“4”" in msg and "应为“3”" in msg


def test_character_outside_charset_is_named_with_position():
    with pytest.raises(USCCError) as exc:
        validate_uscc("91350100M000100Y4I")
    msg = str(exc.value)
    assert "第18位字符“I”" in msg and "不含 I、O、S、V、Z" in msg


@pytest.mark.parametrize("bad", ["", "9135010", "91350100M000100Y43X"])
def test_length_errors(bad):
    with pytest.raises(USCCError):
        validate_uscc(bad)


def test_check_character_computation_by_hand():
    # M = 21, Y = 30 in the GB 32100 character set; Σ v_i·w_i = 1640, 1640 mod 31 = 28,
    # (31 - 28) mod 31 = 3 → check character "3".
    values = [9, 1, 3, 5, 0, 1, 0, 0, 21, 0, 0, 0, 1, 0, 0, 30, 4]
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(v * w for v, w in zip(values, weights, strict=True))
    assert total == 1640
    assert (31 - total % 31) % 31 == 3
    assert check_character("91350100M000100Y4") == "3"


def test_make_uscc_round_trips():
    code = make_uscc("91369900MA1234567")
    assert validate_uscc(code) == code
