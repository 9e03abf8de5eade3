"""Babel extraction methods for the help desk's keyed texts (see babel.cfg and
shared/texts/__init__.py): which (context, key) pairs the code and the templates use.

Python: `ui("key", ...)`, `report("key", ...)`, `text("context", "key", ...)`, the refusals'
reasons (`InvalidInput("key")`, `NotAllowedNow("message", "key")`, ...) and `N_("context",
"key")`, which declares keys the code builds (an event's subject, a timeline's label).
Templates: `t("key")` in the pages' and e-mails' templates (ui), `fmt.t("key")` in the
report's (report). The upload script: `texts.uploadKey` (ui `upload_key`, from the page's
data attributes). Each is yielded as Babel's `pgettext` message, (context, key).
"""

from __future__ import annotations

import ast
import re

from shared.texts import CONTEXTS

REASON_FIRST = {
    "InvalidInput",
    "NotPermitted",
    "TooOften",
    "UnknownAction",
    "Refused",
    "FormRefused",
}
REASON_SECOND = {"NotAllowedNow"}


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _found(call: ast.Call) -> list[tuple[str, str]]:
    name, args = _name(call.func), call.args
    first = _literal(args[0]) if args else None
    second = _literal(args[1]) if len(args) > 1 else None
    if name in ("ui", "report") and first:
        return [(name, first)]
    if name == "t" and isinstance(call.func, ast.Name) and first:  # a page's `t = ... ui`
        return [("ui", first)]
    if name == "text" and first in CONTEXTS and second:
        return [(first, second)]
    if name == "N_" and args:
        contexts = [first] if first else [_literal(item) for item in getattr(args[0], "elts", [])]
        keys = [key for key in map(_literal, args[1:]) if key]
        return [(context, key) for context in contexts if context in CONTEXTS for key in keys]
    if name == "message" and second:  # a page's answer: answers.message(locale, "key", ...)
        return [("ui", second)]
    if name in REASON_FIRST and first:
        return [("ui", first)]
    if name in REASON_SECOND:
        reason = second or next(
            (_literal(k.value) for k in call.keywords if k.arg == "reason"), None
        )
        return [("ui", reason or "not_now")]
    return []


def extract_python(fileobj, keywords, comment_tags, options):
    tree = ast.parse(fileobj.read().decode("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for found in _found(node):
                yield node.lineno, "pgettext", found, []


TEMPLATE_CALL = re.compile(r"""(?<![\w.])(fmt\.)?t\(\s*["']([a-z0-9_]+)["']\s*[,)]""")


def extract_template(fileobj, keywords, comment_tags, options):
    context = options.get("context", "ui")
    for number, line in enumerate(fileobj.read().decode("utf-8").splitlines(), start=1):
        for match in TEMPLATE_CALL.finditer(line):
            yield number, "pgettext", (context, match.group(2)), []


SCRIPT_TEXT = re.compile(r"\btexts\.(upload\w*)")


def extract_script(fileobj, keywords, comment_tags, options):
    for number, line in enumerate(fileobj.read().decode("utf-8").splitlines(), start=1):
        for match in SCRIPT_TEXT.finditer(line):
            key = re.sub(r"[A-Z]", lambda upper: "_" + upper.group(0).lower(), match.group(1))
            yield number, "pgettext", ("ui", key), []
