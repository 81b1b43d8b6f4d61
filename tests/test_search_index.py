"""hooks/search_index.py: an index per language, formulas as text, terms on their chapter."""

from __future__ import annotations

import pytest

from repo_modules import load

index = load("hooks/search_index.py")


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"\partial g / \partial x = -3", "∂g/∂x = −3"),
        (r"\frac{\partial y}{\partial y} = 1", "∂y/∂y = 1"),
        (r"\frac{f(x + h) - f(x - h)}{2h}", "(f(x+h)−f(x−h))/2h"),
        (r"\hat{y}_i = w \, x_i + b", "y\u0302ᵢ = w xᵢ+b"),  # y + combining circumflex
        (r"L = (o - 0.5)^2", "L = (o−0.5)²"),
        (r"f'(x) = 2x", "f′(x) = 2x"),
        (r"\lambda_{\max}", "λₘₐₓ"),
    ],
)
def test_a_formula_reads_as_text(tex: str, text: str) -> None:
    assert index.plain(tex) == text


def test_formulas_in_index_text_are_replaced_and_stay_escaped() -> None:
    entry = r"numbers such as \(\partial g / \partial x = -3\) and \(w &lt; 2\)."
    assert index.plain_formulas(entry) == "numbers such as ∂g/∂x = −3 and w &lt; 2."


def test_the_index_is_split_by_language_folder() -> None:
    docs = [{"location": loc} for loc in ["", "gradients/#a", "zh-TW/", "zh-TW/gradients/"]]
    parts = index.split_by_language({"config": {}, "docs": docs}, ["en", "zh-TW"], "en")
    assert [d["location"] for d in parts[""]["docs"]] == ["", "gradients/#a"]
    assert [d["location"] for d in parts["zh-TW/"]["docs"]] == ["zh-TW/", "zh-TW/gradients/"]


def test_glossary_terms_go_to_their_chapter_page_entry_only() -> None:
    glossary = (
        "| 繁體中文 | English | 意思 | 說明章節 |\n|---|---|---|---|\n"
        "| 均方誤差 | mean squared error (MSE) | … | [損失函數](loss-functions.md) |\n"
        "| 權重 / 偏差（偏置） | weight / bias | … | [線性迴歸](linear-regression.md) |\n"
        "| 梯度模式 | `no_grad` | … | [首頁](index.md) |\n"
    )
    terms = index.glossary_terms(glossary, columns=2)
    assert terms["loss-functions/"] == ["均方誤差", "mean squared error", "MSE"]
    assert terms["linear-regression/"] == ["權重", "偏差", "偏置", "weight", "bias"]
    assert terms[""] == ["梯度模式"]
    docs = [{"location": "zh-TW/loss-functions/"}, {"location": "zh-TW/loss-functions/#mse"}]
    index.add_keywords({"docs": docs}, terms, "zh-TW/")
    assert docs[0]["tags"] == terms["loss-functions/"] and "tags" not in docs[1]


def test_a_page_keeps_no_tag_that_takes_another_pages_term() -> None:
    """Typed alone, "gradient", 梯度 and 反向傳播 go to the page the glossary says explains them."""
    terms = {
        "gradients/": ["梯度", "梯度累積", "gradient", "gradient accumulation"],
        "gradient-descent/": ["梯度下降", "gradient descent"],
        "backward-pass/": ["反向傳播", "backward pass"],
        "gradients-gone-wrong/": [
            "次梯度",
            "梯度爆炸",
            "exploding gradient",
            "vanishing gradient",
            "gradient clipping",
        ],
        "higher-order-gradients/": ["高階導數", "前向模式", "反向模式", "dual number"],
    }
    kept = index.owned_elsewhere(terms)
    assert kept["gradients/"] == terms["gradients/"]  # its own 梯度 prefix is no collision
    assert kept["gradient-descent/"] == ["梯度下降"]  # a subject stays; "gradient …" goes
    assert kept["backward-pass/"] == terms["backward-pass/"]
    # One tag with the word "gradient" at most; none starting with it or with 梯度.
    assert kept["gradients-gone-wrong/"] == ["次梯度", "exploding gradient"]
    assert kept["higher-order-gradients/"] == ["高階導數", "前向模式", "dual number"]
