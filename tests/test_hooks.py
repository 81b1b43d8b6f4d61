from repo_modules import load

cjk = load("hooks/cjk_linebreaks.py")


def test_joins_lines_between_chinese_characters() -> None:
    assert cjk.join_cjk_lines("這是一段\n  很長的文字。\n下一句") == "這是一段很長的文字。下一句"


def test_keeps_breaks_next_to_latin_text_and_markup() -> None:
    text = "用 PyTorch\n計算梯度\n\n- 清單\n- 項目\n\n呼叫 `backward()`\n之後"
    assert (
        cjk.join_cjk_lines(text)
        == "用 PyTorch\n計算梯度\n\n- 清單\n- 項目\n\n呼叫 `backward()`\n之後"
    )


def test_leaves_fenced_code_alone() -> None:
    text = "說明\n文字\n\n```python\n# 中文\n# 註解\nx = 1\n```\n"
    assert cjk.join_cjk_lines(text) == "說明文字\n\n```python\n# 中文\n# 註解\nx = 1\n```\n"
