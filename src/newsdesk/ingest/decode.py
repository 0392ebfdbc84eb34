"""Turn bytes into text without silently producing mojibake.

Order of trust: a byte-order mark, then strict UTF-8 (nearly all news today),
then a charset the document declares, then charset-normalizer's guess when it
is confident. Anything else is refused with a reason rather than decoded into
garbage that would then be indexed and quoted.
"""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

_BOM_CODECS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
BOMS: tuple[bytes, ...] = tuple(bom for bom, _ in _BOM_CODECS)

# WHATWG: pages labelled latin-1 or ascii are in practice windows-1252.
_LABEL_ALIASES = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
                  "us-ascii": "cp1252", "ascii": "cp1252"}
_GUESS_SAMPLE = 262_144
_MAX_CHAOS = 0.2
_FEW_HIGH_BYTES = 0.01  # at most this share of bytes above 0x7F: windows-1252 without asking for a guess
_UTF8_EVIDENCE = 3  # valid multi-byte sequences that make a file UTF-8 however many bytes around them are bad
_MAX_DAMAGE = 100  # UTF-8 with more than one undecodable sequence per this many characters is refused


def decode_bytes(data: bytes, origin: str, declared: str | None = None) -> str:
    """Decode `data`; raise ValueError naming `origin` and the reason when that is not safe.

    `declared` is a charset the container states (an HTTP header, a <meta charset>);
    it is tried after UTF-8 because UTF-8 that validates is almost never mislabelled
    the other way round.
    """
    for bom, bom_codec in _BOM_CODECS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(bom_codec)
            except UnicodeDecodeError as exc:
                raise ValueError(f"{origin}: starts with a {bom_codec} byte-order mark but is not valid {bom_codec}"
                                 f" (byte {exc.start})") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        codec = _codec(declared)
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass
    utf16 = looks_like_utf16(data[:_GUESS_SAMPLE])
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            pass
    bad, good, size = _utf8_damage(data)
    if _mostly_utf8(bad, good) or good >= _UTF8_EVIDENCE:
        if bad > max(1, size // _MAX_DAMAGE):
            raise ValueError(f"{origin}: damaged UTF-8 text: {bad:,} byte sequences do not decode"
                             f" (more than 1 character in {_MAX_DAMAGE}); refused rather than indexed with gaps")
        return data.decode("utf-8", "replace")
    codec = _guess(data)
    if codec is None:
        raise ValueError(f"{origin}: not valid UTF-8 and no confident guess of its encoding")
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{origin}: looked like {codec} but byte {exc.start} does not decode") from exc


def looks_like_utf16(head: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" for BOM-less UTF-16 of mostly Latin text (NUL in every other byte)."""
    sample = head[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.6 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.6 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _codec(label: str) -> str | None:
    """A Python codec name for a charset label, or None for unknown labels."""
    label = label.strip().strip("\"'").lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _utf8_damage(data: bytes) -> tuple[int, int, int]:
    """(invalid UTF-8 sequences, valid non-ASCII characters, characters) of `data` read as UTF-8."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 0x7F) - text.count("\ufffd")
    return bad, good, len(text)


def _mostly_utf8(bad: int, good: int) -> bool:
    """UTF-8 with some corrupt bytes (a bad copy-paste, a cut download) rather than a legacy encoding.

    Text in a legacy encoding almost never holds a valid multi-byte UTF-8 sequence by chance ("é" in
    windows-1252 is one byte followed by ASCII), so valid ones at least as many as the invalid ones
    mean UTF-8. Measured on real dev articles (bench/decode_choice.py) against charset-normalizer,
    which reads every damaged UTF-8 article as a legacy code page.
    """
    return bad > 0 and good >= bad


def _guess(data: bytes) -> str | None:
    """charset-normalizer's guess when confident; windows-1252 wins ties with its cousins.

    charset-normalizer scores cp1250/cp1252/cp1257 identically on Western European
    text and returns the first (cp1250, turning "crème" into "crčme"); windows-1252
    is by far the commoner legacy encoding of news, so ties go to it.
    """
    sample = data[:_GUESS_SAMPLE]
    cp1252_ok = b"\x00" not in sample and _clean_decode(sample, "cp1252")
    if cp1252_ok and sum(1 for byte in sample if byte > 0x7F) <= len(sample) * _FEW_HIGH_BYTES:
        # A few high bytes are too little for a guess (charset-normalizer reads a lone cp1252 "—" as cp1250
        # "Ś" or cp437 "ù"); in news they are nearly always windows-1252 punctuation and accents.
        return "cp1252"
    matches = [m for m in from_bytes(sample) if m.chaos <= _MAX_CHAOS]
    confident = [m for m in matches if m.coherence > 0]
    if confident:
        best = confident[0]
        if cp1252_ok and any(m.encoding == "cp1252" and (m.chaos, m.coherence) == (best.chaos, best.coherence)
                             for m in confident):
            return "cp1252"
        return best.encoding
    if cp1252_ok:
        return "cp1252"
    return None


def _clean_decode(data: bytes, codec: str) -> bool:
    """True when `data` decodes in `codec` to text without control characters."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return False
    return not any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text)
