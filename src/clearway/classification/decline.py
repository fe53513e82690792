"""When not to answer: empty, too short, not Korean or English, only a brand, or too vague to classify.

A decline is an answer too: no code, a stable reason code and a sentence for the user. The rules are cheap and
run before the model. The UK parcel data's "vague terms" are the yardstick: one in five is kept out
(``holdout.is_vague_holdout``) and the share of them declined is reported in benchmarks/classification/RESULTS.md
(that list also holds classifiable terms such as "MDF" or "vaccine", so it is not used as labels).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from clearway.classification.morphology import fold_english
from clearway.classification.text import detect_language, script_profile

MIN_LETTERS = 2
# Descriptions that name no kind of goods at all, in English and Korean.
GENERIC_TERMS = frozenset(
    {
        "gift",
        "gifts",
        "present",
        "presents",
        "sample",
        "samples",
        "goods",
        "item",
        "items",
        "product",
        "products",
        "merchandise",
        "stuff",
        "things",
        "parts",
        "part",
        "accessories",
        "accessory",
        "other",
        "others",
        "misc",
        "miscellaneous",
        "various",
        "general cargo",
        "personal effects",
        "personal items",
        "commercial goods",
        "spare parts",
        "equipment",
        "material",
        "materials",
        "package",
        "parcel",
        "box",
        "set",
        "new",
        "used",
        "test",
        "unknown",
        "n/a",
        "na",
        "none",
        "free sample",
        "documents",
        "order",
        "sale",
        "clothing",
        "clothes",
        "apparel",
        "garment",
        "garments",
        "stock",
        "supplies",
        "kit",
        "gear",
        "household",
        "household goods",
        # category words that name a whole trade, not goods ("electronic equipment", "medical goods")
        "personal",
        "party",
        "courier",
        "groupage",
        "consignment",
        "shipment",
        "electronic",
        "electronics",
        "electrical",
        "medical",
        "dental",
        "food",
        "foods",
        "beauty",
        "cosmetic",
        "cosmetics",
        "home",
        "garden",
        "office",
        "industrial",
        "commercial",
        "chemical",
        "chemicals",
        "hazardous",
        "non-hazardous",
        "flammable",
        "empty",
        "traffic",
        "invoice",
        "attached",
        "per",
        "see",
        "as",
        "ladies",
        "lady",
        "mens",
        "kids",
        "sports",
        "sport",
        "machine",
        "machinery",
        "tools",
        "tool",
        "spare",
        "non",
        "with",
        "in",
        "fashion",
        "general",
        "assorted",
        "mixed",
        "&",
        "and",
        "of",
        "for",
        "the",
        "a",
        "선물",
        "샘플",
        "견본",
        "물품",
        "상품",
        "제품",
        "물건",
        "기타",
        "부품",
        "잡화",
        "소포",
        "택배",
        "일반화물",
        "개인용품",
        "자재",
        "용품",
        "세트",
        "재료",
        "화물",
        "박스",
    }
)
_QUANTITY = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:x|pcs?|ea|개|kg|g|ml|l|set|sets|box|boxes|units?)?\b", re.I)


@dataclass(frozen=True, slots=True)
class Decline:
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def rule_decline(text: str) -> Decline | None:
    """Declines that need no model. ``text`` is the normalised description."""
    if not text.strip():
        return Decline("empty", "The description is empty.")
    profile = script_profile(text)
    if profile.letters == 0:
        return Decline("no_words", "The description has no words (only numbers, symbols or emoji).")
    if profile.letters < MIN_LETTERS:
        return Decline("too_short", "The description is a single character; describe the goods.")
    if not re.search(r"(?<![^\W\d_])[^\W\d_]{2,40}(?![^\W\d_])", text):
        return Decline("no_words", "The description has no recognisable words.")
    language = detect_language(text)
    if language == "other":
        return Decline(
            "unsupported_language",
            "The description is not in Korean or English; the classifier reads those two languages only.",
        )
    core = _QUANTITY.sub(" ", text.lower())
    core = re.sub(r"[^\w\s/가-힣]", " ", core)
    core = " ".join(core.split())
    if not core or core in GENERIC_TERMS or all(w in GENERIC_TERMS for w in core.split()):
        return Decline(
            "too_vague", "The description does not say what the goods are (material, function, use)."
        )
    return None


# Words that describe how goods look or come, not what they are (colours, sizes, packing): "black, L".
ATTRIBUTES = frozenset(
    {
        "black",
        "white",
        "pink",
        "blue",
        "brown",
        "red",
        "grey",
        "gray",
        "green",
        "beige",
        "gold",
        "silver",
        "navy",
        "yellow",
        "orange",
        "purple",
        "violet",
        "cream",
        "ivory",
        "khaki",
        "multi",
        "multicolour",
        "multicolor",
        "dark",
        "pale",
        "bright",
        "colour",
        "color",
        "assorted",
        "mixed",
        "nude",
        "xxs",
        "xs",
        "s",
        "m",
        "l",
        "xl",
        "xxl",
        "xxxl",
        "xxxxl",
        "small",
        "medium",
        "large",
        "size",
        "one",
        "os",
        "uk",
        "eu",
        "us",
        "year",
        "month",
        "age",
        "adult",
        "kid",
        "child",
        "boy",
        "girl",
        "men",
        "women",
        "man",
        "woman",
        "mens",
        "womens",
        "ladies",
        "unisex",
        "pack",
        "pc",
        "pcs",
        "piece",
        "ea",
        "unit",
        "pair",
        "collection",
        "new",
        "free",
        "personalised",
        "personalized",
        "bundle",
        "style",
        "type",
        "model",
        "version",
        "no",
        "na",
        "qty",
        "quantity",
        "kg",
        "ml",
        "cm",
        "mm",
        "g",
        "oz",
        "lb",
        "inch",
        "double",
        "single",
        "검정",
        "검은색",
        "흰색",
        "빨강",
        "파랑",
        "노랑",
        "초록",
        "분홍",
        "회색",
        "색상",
        "사이즈",
        "크기",
    }
)


def plain_tokens(text: str) -> list[str]:
    """Cheap tokens of a long text (no morphology): folded English words; a long Korean run counts as known."""
    words = [fold_english(w) for w in re.findall(r"[a-z][a-z]+", text.lower()[:3000])]
    if len(re.findall(r"[\uac00-\ud7a3]", text[:3000])) >= 20:
        words.append(KOREAN_TEXT)
    return words


KOREAN_TEXT = "\u0000korean"


SPELLING_SIMILARITY = (
    0.8  # optimal string alignment, normalised: "jumpr"/"jumper" 0.83, "samsung"/"samso" 0.71
)


def misspelt_product_word(tokens: Sequence[str], vocabulary: frozenset[str]) -> str | None:
    """The first unknown word that is a slip of the pen away from a product word ("headphnes", "sweatshrit"), or
    None. Without one, a text of unknown words is names only: a brand such as "Samsung" must not be answered
    because it happens to look like a cheese ("samso")."""
    for token in tokens:
        if len(token) > 2 and not token.isdigit() and token not in vocabulary:
            found = process.extractOne(
                token, vocabulary, scorer=OSA.normalized_similarity, score_cutoff=SPELLING_SIMILARITY
            )
            if found is not None:
                return found[0]
    return None


def nothing_to_classify(tokens: Sequence[str], vocabulary: frozenset[str]) -> Decline | None:
    """No word says what the goods are: only colours/sizes (too vague), or only names and model numbers."""
    words = [t for t in tokens if (not t.isdigit() and len(t) > 1) or t == KOREAN_TEXT]
    if not words or KOREAN_TEXT in words:
        return None
    content = [w for w in words if w not in ATTRIBUTES and w not in GENERIC_TERMS]
    if any(w in vocabulary for w in content):
        return None
    if not content or (len(content) < len(words) and all(len(w) <= 2 for w in content)):
        return Decline(
            "too_vague", "The description gives only colour, size or packing; say what the goods are."
        )
    return Decline(
        "brand_only",
        "The description has no product words (only names or model numbers); say what the goods are.",
    )
