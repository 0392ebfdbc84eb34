"""A fictional story reported over several days by several outlets, for the timeline tests.

The Brennholt dam gives way on Monday 2031-04-14; reports published on the following days date it
relatively ("on Monday", "yesterday", "am Montag"), one outlet says Sunday, one blog is undated,
and the warning that came before it is dated absolutely in the latest report.
"""

from __future__ import annotations

import json
from pathlib import Path

ARTICLES = [
    {
        "title": "Brennholt dam gives way, lower town flooded",
        "outlet": "Riverside Courier", "published": "2031-04-16", "language": "en",
        "url": "https://courier.example/brennholt-dam",
        "text": (
            "The Brennholt dam on the Varna river gave way on Monday night, flooding the lower town of Brennholt. "
            "Rescue teams evacuated 400 residents on Tuesday, the regional council said. "
            "The council has opened an inquiry into the maintenance of the dam."
        ),
    },
    {
        "title": "Governor visits Brennholt after the dam breach",
        "outlet": "Valley Times", "published": "2031-04-18", "language": "en",
        "url": "https://valleytimes.example/governor-brennholt",
        "text": (
            "The Brennholt dam on the Varna river gave way on Monday night, flooding the lower town of Brennholt. "
            "On Thursday, the regional governor toured the flooded streets of Brennholt and promised aid. "
            "Engineers had warned of cracks in the Brennholt dam wall on March 2, 2031, in a report to the council."
        ),
    },
    {
        "title": "Water authority: Brennholt dam broke on Sunday",
        "outlet": "Daily Ledger", "published": "2031-04-17", "language": "en",
        "url": "https://ledger.example/brennholt",
        "text": (
            "The Brennholt dam on the Varna river gave way on Sunday night, flooding the lower town of Brennholt, "
            "the water authority said. "
            "At least 12 people were injured in the flood in Brennholt."
        ),
    },
    {
        "title": "A resident's account of the Brennholt flood",
        "outlet": "Brennholt Notes", "language": "en",
        "url": "https://notes.example/flood",
        "text": (
            "Residents say the Brennholt dam broke on Monday and nobody warned the lower town in time. "
            "Water stood a metre high in the streets of Brennholt."
        ),
    },
    {
        "title": "Staudamm von Brennholt gebrochen",
        "outlet": "Varna Rundschau", "published": "2031-04-17", "language": "de",
        "url": "https://rundschau.example/brennholt",
        "text": (
            "Der Staudamm von Brennholt am Fluss Varna ist am Montag gebrochen und hat die Unterstadt überflutet. "
            "Gestern besichtigten Ingenieure die Bruchstelle des Damms in Brennholt."
        ),
    },
]


def write_articles(folder: Path) -> Path:
    """The articles as one JSON Lines file in `folder`."""
    path = folder / "brennholt.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    return path
