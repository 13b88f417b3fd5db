"""Categories as GeoReport v2 services and service definitions, in the reader's language."""

from __future__ import annotations

from typing import Any

from hotline.reasons.render import catalog as reason_catalog
from hotline.tickets.categories import Category
from hotline.tickets.kinds import IntakeType
from hotline.triage.config import AnswerChoice, CategoryConfig, Question

LANGUAGES = ("zh-CN", "en", "ko")
DEFAULT_LANGUAGE = "zh-CN"


def pick_language(wanted: str | None) -> str:
    """zh, zh-CN, zh_Hans, en-GB, ko-KR … to one of the hotline's languages."""
    for part in (wanted or "").replace("_", "-").split(","):
        tag = part.split(";")[0].strip().lower()
        for language in LANGUAGES:
            if tag == language.lower() or tag.split("-")[0] == language.split("-")[0].lower():
                return language
    return DEFAULT_LANGUAGE


def _in(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


def service_name(code: str, language: str) -> str:
    """The category's name, as the reason catalog gives it."""
    names = reason_catalog().names.get("category", {}).get(code, {})
    return _in(dict(names), language) if names else code


def common_questions() -> list[Question]:
    """Asked of every service: the intake type (受理类型) and the community code."""
    types = reason_catalog().names.get("intake_type", {})
    return [
        Question(
            code="intake_type",
            datatype="singlevaluelist",
            description={
                "zh-CN": "诉求类型",
                "en": "Kind of request",
                "ko": "요청 유형",
            },
            values=[
                AnswerChoice(key=t.value, name=dict(types.get(t.value, {}))) for t in IntakeType
            ],
        ),
        Question(
            code="community",
            datatype="string",
            description={
                "zh-CN": "社区编码（4位数字，与拨打12345时按键输入的相同）",
                "en": "Community code (the 4 digits callers key in)",
                "ko": "마을 코드 (전화로 입력하는 4자리)",
            },
        ),
    ]


def questions_for(config: CategoryConfig, code: str) -> list[Question]:
    """The common questions, then the category's own."""
    return common_questions() + list(config.categories[Category(code)].questions)


def services(config: CategoryConfig, language: str) -> list[dict[str, Any]]:
    """GET services: one entry per category, in the IVR's order."""
    found = []
    for category in Category:
        rule = config.categories[category]
        found.append(
            {
                "service_code": category.value,
                "service_name": service_name(category.value, language),
                "description": _in(rule.description, language) if rule.description else "",
                "metadata": True,  # every service has at least the common attributes
                "type": "realtime",
                "keywords": ",".join(rule.keywords.get(language, [])),
                "group": _in(rule.group, language) if rule.group else "",
            }
        )
    return found


def definition(config: CategoryConfig, code: str, language: str) -> dict[str, Any]:
    """GET services/{code}: the attributes a client may (or must) send."""
    attributes = []
    for order, question in enumerate(questions_for(config, code), start=1):
        item: dict[str, Any] = {
            "variable": True,
            "code": question.code,
            "datatype": question.datatype,
            "required": question.required,
            "datatype_description": "",
            "order": order,
            "description": _in(question.description, language),
        }
        if question.values:
            item["values"] = [
                {"key": choice.key, "name": _in(choice.name, language)}
                for choice in question.values
            ]
        attributes.append(item)
    return {"service_code": code, "attributes": attributes}
