"""Sentence segmentation with exact character offsets.

`split_sentences` cuts an article's text into `Sentence`s such that, for every
sentence `s`, `text[s.start:s.end] == s.text`, `s.text` has no leading or
trailing whitespace, sentences are in order, never overlap and never span a
paragraph break (a blank line).

How it works:

1. The text is cut into paragraphs at blank lines.
2. A paragraph is cut into *segments* at line breaks that end a logical line:
   bullet items, headlines and captions on their own line, lines of text that
   is not hard-wrapped. In hard-wrapped prose (lines of similar length) a
   line break is ordinary whitespace.
3. Segments of Chinese/Japanese text are split after 。！？ (with the closing
   quotes and brackets that follow them); all other segments go through
   syntok's segmenter, whose token offsets give the spans.
4. A few corrections on syntok's output for news prose: military and civil
   titles ("Maj. Gen. Sher Afgan", "Lt. Col.", "Gov.") do not end a sentence,
   nor does a German ordinal before a month ("am 1. Januar"); a dotted
   abbreviation followed by a typical sentence opener ("in the U.S. Then he
   left", "at 9 p.m. The police") does.
5. Anything longer than `MAX_SENTENCE_CHARS` is cut at whitespace near the
   limit, so boilerplate without punctuation does not make giant sentences.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from syntok.segmenter import segment as _syntok_segment
from syntok.tokenizer import Token, Tokenizer

from newsdesk.model import Sentence

__all__ = ["MAX_SENTENCE_CHARS", "split_sentences"]

MAX_SENTENCE_CHARS = 1000
"""No sentence is longer than this (a longer run is cut at whitespace)."""

_MIN_CUT_FRACTION = 0.5
"""A long run is cut at the last whitespace in (limit * this, limit]; else hard at the limit."""

# --- paragraphs and lines -------------------------------------------------------------------

_NL = r"(?:\r\n|[\n\r\u2028\x85])"
_HSPACE = r"[^\S\n\r\u2028\u2029\x85]"
_PARAGRAPH_BREAK = re.compile(rf"{_NL}(?:{_HSPACE}*{_NL})+|\u2029")
_LINE_BREAK = re.compile(_NL)

_BULLET = re.compile(
    r"(?:[-*+\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2219\u2013\u25a0\u25a1\u2043]|\d{1,3}[.)])\s"
)
"""A list item marker at the start of a line (followed by whitespace)."""
_STRIPPED_BULLET = re.compile(r"[-*+\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2219\u2013\u25a0\u25a1\u2043]\s+")
"""Markers that are removed from the start of the item's sentence (numbers are kept)."""

_CONTINUES = frozenset(",;(-\u2013\u2014/&")
"""A line ending in one of these continues on the next line."""

_WRAP_MIN_WIDTH = 40
_WRAP_MAX_WIDTH = 120

# --- CJK ------------------------------------------------------------------------------------

_CJK_LANGUAGES = ("zh", "ja")
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_CJK_TERMINAL = re.compile(
    "[\u3002\uff01\uff1f\uff61!?]+"  # 。！？｡ and ASCII !?
    "[\u201d\u2019\u300d\u300f\uff09\u3011\u3009\u300b\u3015\u3017\u3019\u301b\uff3d\uff5d\"')\\]]*"
)
_LETTER = re.compile(r"[^\W\d_]")

# --- syntok corrections ---------------------------------------------------------------------

_TITLES = frozenset(
    """
    Maj Gen Lt Col Sgt Capt Cpl Pvt Cmdr Cmdt Adm Brig Gov Govs Sen Sens Rep Reps Rev Hon Pres
    Supt Insp Amb Atty Dr Drs Mr Mrs Ms Messrs Mmes Prof St Ste Mt Ft Sgts Lieut Comdr
    Mme Mlle Mgr Msgr
    """.split()
)
"""Abbreviations that precede a name and so never end a sentence before a capitalised word."""

_MONTHS_DE = frozenset(
    """
    Januar Jänner Februar März April Mai Juni Juli August September Oktober November Dezember
    Jan Jän Feb Febr Mär Apr Jun Jul Aug Sep Sept Okt Nov Dez
    """.split()
)

_OPENERS = frozenset(
    """
    A An The He She It They We I You His Her Its Their Our This That These Those There Then But
    And In On At After Before When While However Meanwhile
    """.split()
)
"""Words that, after a dotted abbreviation ("U.S.", "p.m."), start a new sentence."""

_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
"""A token like "U.S", "p.m", "D.C" (syntok splits the final dot off)."""

_TOKENIZER = Tokenizer(replace_not_contraction=False)


def split_sentences(article_id: str, text: str, language: str | None = None) -> list[Sentence]:
    """Split `text` into sentences with exact character offsets into `text`.

    `language` is an ISO 639-1 code (or a tag such as "zh-Hant"); "zh" and "ja"
    select the Chinese/Japanese splitter for paragraphs that contain CJK
    characters. Without a language, a paragraph dominated by CJK characters is
    split the same way.
    """
    cjk_language = bool(language and language.lower().split("-")[0].split("_")[0] in _CJK_LANGUAGES)
    sentences: list[Sentence] = []
    for p_start, p_end in _paragraphs(text):
        paragraph = text[p_start:p_end]
        if _CJK_CHAR.search(paragraph) and (cjk_language or _cjk_dominated(paragraph)):
            spans = _cjk_spans(text, p_start, p_end)
        else:
            spans = _prose_spans(text, p_start, p_end)
        for start, end in spans:
            for s, e in _cut_long(text, start, end):
                sentences.append(Sentence(article_id, len(sentences), s, e, text[s:e]))
    return sentences


# --- helpers --------------------------------------------------------------------------------


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow (start, end) so that text[start:end] has no leading or trailing whitespace (or invisible marks)."""
    while start < end and (text[start].isspace() or text[start] in _INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
    return start, end


_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")
"""Zero-width spaces and joiners, word joiner, byte-order mark: web pages scatter them between sentences."""


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Stripped (start, end) of each non-empty paragraph."""
    pos = 0
    for mo in _PARAGRAPH_BREAK.finditer(text):
        start, end = _strip(text, pos, mo.start())
        if start < end:
            yield start, end
        pos = mo.end()
    start, end = _strip(text, pos, len(text))
    if start < end:
        yield start, end


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stripped (start, end) of each non-empty line in text[start:end]."""
    lines = []
    pos = start
    for mo in _LINE_BREAK.finditer(text, start, end):
        s, e = _strip(text, pos, mo.start())
        if s < e:
            lines.append((s, e))
        pos = mo.end()
    s, e = _strip(text, pos, end)
    if s < e:
        lines.append((s, e))
    return lines


def _cjk_dominated(paragraph: str) -> bool:
    cjk = len(_CJK_CHAR.findall(paragraph))
    letters = len(_LETTER.findall(paragraph))  # CJK ideographs and kana count as letters too
    return cjk * 2 > letters


def _cjk_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Chinese/Japanese: every line break ends a sentence, and so does 。！？ (with closers)."""
    for l_start, l_end in _lines(text, start, end):
        pos = l_start
        for mo in _CJK_TERMINAL.finditer(text, l_start, l_end):
            s, e = _strip(text, pos, mo.end())
            if s < e:
                yield s, e
            pos = mo.end()
        s, e = _strip(text, pos, l_end)
        if s < e:
            yield s, e


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a paragraph at the line breaks that end a logical line (see module doc)."""
    lines = _lines(text, start, end)
    if len(lines) == 1:
        return _unbullet(text, lines)
    widths = [e - s for s, e in lines[:-1]]
    width = max(widths)
    wrapped = (
        len(widths) >= 2
        and _WRAP_MIN_WIDTH <= width <= _WRAP_MAX_WIDTH
        and sum(w >= 0.75 * width for w in widths) * 3 >= len(widths) * 2
    )
    segments = []
    seg_start = lines[0][0]
    for (a_start, a_end), (b_start, _) in zip(lines, lines[1:], strict=False):
        if _BULLET.match(text, b_start) or _BULLET.match(text, a_start):
            cut = True
        elif text[b_start].islower() or text[a_end - 1] in _CONTINUES:
            cut = False
        elif wrapped:
            cut = a_end - a_start < 0.6 * width
        else:
            cut = True
        if cut:
            segments.append((seg_start, a_end))
            seg_start = b_start
    segments.append((seg_start, lines[-1][1]))
    return _unbullet(text, segments)


def _unbullet(text: str, segments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop a list marker such as "- " or "• " from the start of each segment."""
    out = []
    for s, e in segments:
        mo = _STRIPPED_BULLET.match(text, s, e)
        if mo and mo.end() < e:
            s = mo.end()
        out.append((s, e))
    return out


def _prose_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    for seg_start, seg_end in _segments(text, start, end):
        chunk = text[seg_start:seg_end]
        if not _INNER_TERMINAL.search(chunk):
            # Nothing could end a sentence before the end: one sentence, without syntok's cost
            # (about half of a news page's segments: headlines, captions, short paragraphs).
            s, e = _strip(text, seg_start, seg_end)
            if s < e:
                yield s, e
            continue
        sentences = [[t for t in tokens if t.value] for tokens in _syntok_segment(_TOKENIZER.tokenize(chunk))]
        sentences = _split_after_dotted(_merge_titles([s for s in sentences if s]))
        for tokens in sentences:
            first, last = tokens[0], tokens[-1]
            s, e = _strip(text, seg_start + first.offset, seg_start + last.offset + len(last.value))
            if s < e:
                yield s, e


_INNER_TERMINAL = re.compile(r"[.!?;)\u2026\u203c\u2047-\u2049\uff01\uff0e\uff1f\u3002](?=.*\w)", re.DOTALL)
"""A sentence terminal with a word character somewhere after it: syntok might cut there."""


def _merge_titles(sentences: list[list[Token]]) -> list[list[Token]]:
    """Undo syntok's cuts after "Maj." / "Lt." / "Gov." ... and after "am 1." before a month."""
    out: list[list[Token]] = []
    for tokens in sentences:
        if out and _no_end_here(out[-1], tokens[0]):
            out[-1] = out[-1] + tokens
        else:
            out.append(tokens)
    return out


def _no_end_here(previous: list[Token], first: Token) -> bool:
    if len(previous) < 2 or previous[-1].value != "." or previous[-1].spacing:
        return False
    word = previous[-2].value
    head = first.value[:1]
    if word in _TITLES:
        return head.isupper()
    if word.isdigit() and len(word) <= 2:
        return first.value in _MONTHS_DE
    return False


def _split_after_dotted(sentences: list[list[Token]]) -> list[list[Token]]:
    """Cut "... moved to the U.S. Then he left." after "U.S." (syntok keeps it whole)."""
    out: list[list[Token]] = []
    for tokens in sentences:
        begin = 0
        for i in range(1, len(tokens) - 1):
            if (
                tokens[i].value == "."
                and not tokens[i].spacing
                and tokens[i + 1].spacing
                and tokens[i + 1].value in _OPENERS
                and _DOTTED.fullmatch(tokens[i - 1].value)
            ):
                out.append(tokens[begin : i + 1])
                begin = i + 1
        out.append(tokens[begin:])
    return out


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut a span longer than MAX_SENTENCE_CHARS at whitespace near the limit."""
    limit = MAX_SENTENCE_CHARS
    while end - start > limit:
        cut = start + limit
        floor = start + int(limit * _MIN_CUT_FRACTION)
        pos = cut
        while pos > floor and not text[pos].isspace():
            pos -= 1
        if pos > floor:
            cut = pos
        else:  # no whitespace: hard cut, but not between a character and its combining marks
            while cut > floor and unicodedata.combining(text[cut]):
                cut -= 1
        s, e = _strip(text, start, cut)
        if s < e:
            yield s, e
        start, end = _strip(text, cut, end)
    if start < end:
        yield start, end
