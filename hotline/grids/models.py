"""Grid registry tables."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.database import Base


class Community(Base):
    """A community or village; residents key its 4-digit code in the IVR."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(4), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    name_ko: Mapped[str | None] = mapped_column(String(100))
    town_zh: Mapped[str] = mapped_column(String(100))
    town_en: Mapped[str] = mapped_column(String(100))

    def name_in(self, language: str) -> str:
        """Community name in a caller's language, falling back to Chinese."""
        if language == "en":
            return self.name_en
        if language == "ko" and self.name_ko:
            return self.name_ko
        return self.name_zh
