"""Claims: what a sentence asserts that another source could contradict, found by rules at ingest.

One module per job: `extract` reads an article's sentences in order and calls `counts`,
`blame` (responsibility), `times` and `anchors`, with `speakers` and `actor_names` for who says
and who is meant; `intl` does the same for de/fr/es/zh. The words of every rule are data
(`data/claims_lexicon_en.json`, `data/claims_lexicon.json`, read by `lexicon`); `patterns` spells
the English rules from them.
"""

from newsdesk.analyze.claims.actor_names import canonical_name, name_key
from newsdesk.analyze.claims.extract import CLAIMS_VERSION, extract_claims
from newsdesk.analyze.claims.intl import extract_claims_intl, languages

__all__ = ["CLAIMS_VERSION", "canonical_name", "extract_claims", "extract_claims_intl", "languages", "name_key"]
