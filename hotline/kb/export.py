"""The knowledge base as import reads it, so export → import round-trips."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hotline.kb import service as kb


def export_articles(*, session: Session) -> dict[str, list[dict[str, Any]]]:
    """`{"articles": [...]}`: one entry per language version, shared fields on each."""
    entries = []
    for article in kb.list_articles(session=session):
        content = kb.data_of(article).content()
        texts = content.pop("texts")
        shared = {k: v for k, v in content.items() if v not in (None, [])}
        for language, text in texts.items():
            entries.append(
                {
                    "code": shared["code"],
                    "language": language,
                    "title": text["title"],
                    "answer": text["answer"],
                    "keywords": text["keywords"],
                    **{k: v for k, v in shared.items() if k != "code"},
                }
            )
    return {"articles": entries}
