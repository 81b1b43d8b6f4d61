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


def test_joins_through_bold_and_link_markup() -> None:
    # Each pair is a line break the hook used to leave as a space (issue 11).
    assert cjk.join_cjk_lines("把它倒過來，就是\n**拓撲順序**（topological order）") == (
        "把它倒過來，就是**拓撲順序**（topological order）"
    )
    text = "每個輸入就**收到**\n「局部導數」"
    assert cjk.join_cjk_lines(text) == "每個輸入就**收到**「局部導數」"
    assert cjk.join_cjk_lines("並發出\n[非葉張量的警告](#non-leaf)。") == (
        "並發出[非葉張量的警告](#non-leaf)。"
    )
    assert cjk.join_cjk_lines("見[梯度](gradients.md#check)\n那一章") == (
        "見[梯度](gradients.md#check)那一章"
    )
    assert cjk.join_cjk_lines("它修改張量時\n*不會*增加版本") == "它修改張量時*不會*增加版本"
    assert cjk.join_cjk_lines("用**版本計數器**\n（version counter）") == (
        "用**版本計數器**（version counter）"
    )


def test_joins_after_full_width_punctuation() -> None:
    assert cjk.join_cjk_lines("都在緩衝區之後。\n`register_*` 會傳回") == (
        "都在緩衝區之後。`register_*` 會傳回"
    )
    assert cjk.join_cjk_lines("第一步：\n$x = 2$") == "第一步：$x = 2$"
    assert cjk.join_cjk_lines("結果是\nPyTorch。\n然後") == "結果是\nPyTorch。然後"


def test_keeps_blocks_after_punctuation() -> None:
    # Lists, numbered steps, display math and paragraphs stay where they are.
    text = "步驟如下：\n\n- 一\n- 二\n\n如下：\n$$\nx\n$$\n\n說明：\n1. 第一\n\n**粗體**"
    assert cjk.join_cjk_lines(text) == text
