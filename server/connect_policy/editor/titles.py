"""Code action titles in Korean.

Fixes and refactorings are titled in English where they are made; the few shapes those
titles take are translated here, so a Korean editor shows Korean titles next to its Korean
messages. A title of an unknown shape stays English (a test checks every title our fixes
and refactorings produce has a translation).
"""

from __future__ import annotations

import re

_CODE = r"(\"[^\"]*\")"  # quoted text in a title
_KOREAN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(f"^{pattern}$"), replacement) for pattern, replacement in (
        (f"Change to {_CODE}", r"\1(으)로 바꾸기"),
        (f"Change the operator to {_CODE}", r"연산자를 \1(으)로 바꾸기"),
        (r"Wrap the statement in a policy with Version 2012-10-17",
         "문을 Version 2012-10-17 정책으로 감싸기"),
        (r"Wrap the statements in a policy with Version 2012-10-17",
         "문 배열을 Version 2012-10-17 정책으로 감싸기"),
        (r"Add (.+) to this statement", r"이 문에 \1 추가"),
        (r"Add \"Version\": \"2012-10-17\"", '"Version": "2012-10-17" 추가'),
        (f"Add {_CODE}", r"\1 추가"),
        (r"Add the (\d+) dependent actions", r"종속 작업 \1개 추가"),
        (f"Add a \"Null\" check that requires {_CODE}", r'\1이(가) 있어야 하는 "Null" 검사 추가'),
        (r'Remove "IfExists" \(merging the keys into the existing "Null"\)',
         '"IfExists" 제거(키는 기존 "Null" 블록으로 합침)'),
        (r"Remove the comment", "주석 제거"),
        (r"Remove the trailing comma", "후행 쉼표 제거"),
        (r"Remove the comma", "쉼표 제거"),
        (r"Insert the missing comma", "빠진 쉼표 넣기"),
        (f"Insert the missing {_CODE}", r"빠진 \1 넣기"),
        (f"Insert the closing {_CODE}", r"닫는 \1 넣기"),
        (r"Insert the closing quote", "닫는 따옴표 넣기"),
        (r"Remove the tag condition, which (.+) cannot honour",
         r"\1에 적용되지 않는 태그 조건 제거"),
        (r"Move (.+) to (?:its|their) own statement", r"\1을(를) 별도 문으로 옮기기"),
        (f"Expand {_CODE} into {_CODE}", r"\1을(를) \2(으)로 펼치기"),
        (f"Expand {_CODE} into its (\\d+) actions", r"\1을(를) 작업 \2개로 펼치기"),
        (f"Expand {_CODE} into its (\\d+) actions \\((\\d+) already listed\\)",
         r"\1을(를) 작업 \2개로 펼치기(\3개는 이미 있음)"),
        (f"Expand {_CODE} into {_CODE} \\((\\d+) already listed\\)",
         r"\1을(를) \2(으)로 펼치기(\3개는 이미 있음)"),
        (f"Collapse (\\d+) actions into {_CODE}", r"작업 \1개를 \2(으)로 합치기"),
        (r"Collapse (\d+) complete groups into their wildcards",
         r"완전한 그룹 \1개를 각 와일드카드로 합치기"),
        (r"Sort the actions", "작업 정렬"),
        (r'Sort the "NotAction" entries', '"NotAction" 항목 정렬'),
        (r"Sort the actions and remove (\d+) duplicates?", r"작업 정렬 및 중복 \1개 제거"),
        (r'Sort the "NotAction" entries and remove (\d+) duplicates?',
         r'"NotAction" 항목 정렬 및 중복 \1개 제거'),
        (r"Remove (\d+) duplicates? from the actions", r"작업에서 중복 \1개 제거"),
        (r'Remove (\d+) duplicates? from the "NotAction" entries',
         r'"NotAction" 항목에서 중복 \1개 제거'),
        (f"Remove {_CODE}", r"\1 제거"),
    ))


def title_for(title: str, locale: str | None) -> str:
    """`title` in the client's language, when we have it."""
    if not (locale and locale.lower().startswith("ko")):
        return title
    for pattern, replacement in _KOREAN:
        if pattern.match(title):
            return pattern.sub(replacement, title)
    return title
