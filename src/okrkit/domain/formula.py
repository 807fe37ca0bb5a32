"""A derived KPI's formula over other KPIs' keys: `arpu = revenue / paying_users`.

Rule (docs/rules.md, "Derived KPIs"): a derived KPI is computed period by period from other
KPIs' values. A formula may name a target (`arpu = …`) or be the bare right-hand side
(`revenue / paying_users`). It uses KPI keys (`domain.keys`), numbers, `+ - * /`, `**`
with a constant exponent in [-10, 10], unary `+ -` and parentheses — nothing else. A
division by zero makes that period's value unknown (NaN), never an error and never
infinity. Every valid KPI key can be written in a formula, so a hyphen inside a name
belongs to the name (`trial-to-paid * 100` reads the KPI `trial-to-paid`, and so does a
key that Python reserves, such as `in`): a minus sign between two names needs a space on
at least one side (`mrr - churned_mrr`).

Why hand-written (the project prefers a library): the formula comes from a person (a
flag, a goals file, the web), so it must never reach `eval`. `eval` and pandas `eval`
run arbitrary Python, and numexpr's `evaluate` has had a code-injection hole.
simpleeval and asteval are maintained and careful, but they evaluate most of Python
(calls, attributes, comprehensions) behind deny-lists, and neither exposes the
formula's structure, which the factor decomposition needs (is it a product? of what?).
So the stdlib parser (`ast.parse(mode="eval")`) does the parsing — after each key has
been swapped for a placeholder name of the same length, since Python reads a hyphen as
a minus — and what is written here is only an allow-list of four node types over its
tree (BinOp, UnaryOp, Name, a numeric Constant) and a NumPy evaluator of the checked
result: small enough to audit, and no new dependency.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from okrkit.domain.errors import InvalidInput
from okrkit.domain.keys import KEY_RULE, is_key

__all__ = ["MAX_DEPTH", "MAX_EXPONENT", "MAX_LENGTH", "Factor", "Formula"]

FloatArray = npt.NDArray[np.float64]

# Limits that keep parsing and evaluating a hostile formula cheap: the length bounds
# the parser's work, the depth bounds our recursion, the exponent bounds the values.
MAX_LENGTH = 500
MAX_DEPTH = 50
MAX_EXPONENT = 10

_ALLOWED = "allowed: KPI keys, numbers, + - * / **, parentheses"
# `arpu = …`: a name followed by one '=' (not '==') starts the formula.
_TARGET = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=(?!=)")
# The pieces of a formula's text, left to right: a number (so the `e5` of `1e5` is not
# read as a name), a quoted string, a name as keys spell it (a maximal run of key
# characters after a letter), or any other name Python knows (refused as not a key).
_TOKENS = re.compile(
    r"(?P<number>(?:0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)"
    r"(?:[eE][+-]?\d[\d_]*)?)[jJ]?)"
    r"|(?P<string>'[^']*'?|\"[^\"]*\"?)"
    r"|(?P<key>[a-z][a-z0-9_-]*)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
)
# Placeholder names are `_` and one or two of these (no key starts with `_`).
_CODES = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

_LOOKALIKES = {"×": "*", "·": "*", "÷": "/", "−": "-", "–": "-", "—": "-"}
_NOT_ALLOWED = {
    ast.Call: "a function call",
    ast.Subscript: "a subscript",
    ast.Lambda: "a lambda",
    ast.Compare: "a comparison",
    ast.BoolOp: "'and' / 'or'",
    ast.IfExp: "a conditional (… if … else …)",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Set: "a set",
    ast.Dict: "a dict",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a generator",
    ast.JoinedStr: "an f-string",
    ast.NamedExpr: "an assignment (:=)",
    ast.Starred: "unpacking (*)",
    ast.Await: "'await'",
    ast.Yield: "'yield'",
    ast.YieldFrom: "'yield'",
}
_OPERATORS = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
}


class Factor(NamedTuple):
    """One factor of a product or ratio formula: a KPI key and its exponent.

    In `arpu = revenue / paying_users`, revenue has exponent 1 and paying_users −1.
    """

    key: str
    exponent: float


# The checked tree. Chains of + − and of × ÷ are flat, so a long sum is one level deep.
@dataclass(frozen=True)
class _Const:
    value: float


@dataclass(frozen=True)
class _Key:
    key: str


@dataclass(frozen=True)
class _Neg:
    operand: _Node


@dataclass(frozen=True)
class _Sum:
    terms: tuple[tuple[int, _Node], ...]  # (+1 or −1, term)


@dataclass(frozen=True)
class _Product:
    terms: tuple[tuple[int, _Node], ...]  # (+1 multiplies, −1 divides, operand)


@dataclass(frozen=True)
class _Power:
    base: _Node
    exponent: float


_Node = _Const | _Key | _Neg | _Sum | _Product | _Power


@dataclass(frozen=True)
class Formula:
    """A checked formula: its target (or None), its inputs in order of appearance, and
    the 1-based column where each input first appears in `text`."""

    text: str
    target: str | None
    inputs: tuple[str, ...]
    columns: tuple[int, ...]
    _tree: _Node = field(repr=False, compare=False)

    @classmethod
    def parse(cls, text: str, *, field: str = "formula") -> Formula:
        """Read `arpu = aov * frequency * paying_share` or a bare right-hand side.

        Anything but KPI keys, numbers, `+ - * / **` (a constant exponent in [-10, 10]),
        unary signs and parentheses is refused with the 1-based column and what is
        wrong, as is a formula longer than 500 characters or nested deeper than 50.
        """
        return _Parser(text, field).parse()

    def column_of(self, key: str) -> int:
        """The 1-based column where `key` first appears in the formula."""
        return self.columns[self.inputs.index(key)]

    def evaluate(self, values: Mapping[str, npt.ArrayLike]) -> FloatArray:
        """The derived KPI from its inputs' values, element by element.

        The inputs are aligned arrays (one value per period) or numbers. A period where
        the formula divides by zero, or any value is unknown, is unknown (NaN); so is a
        result too large to represent. No NumPy warning escapes.
        """
        missing = [key for key in self.inputs if key not in values]
        if missing:
            raise InvalidInput(
                f"the formula needs {', '.join(repr(k) for k in missing)}, which has no values",
                field="formula",
            )
        arrays = {key: np.asarray(values[key], dtype=np.float64) for key in self.inputs}
        with np.errstate(all="ignore"):
            result = np.asarray(_evaluate(self._tree, arrays), dtype=np.float64)
            shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
            result = np.broadcast_to(result, shape)
            clean: FloatArray = np.where(np.isfinite(result), result, np.nan)
        return clean

    def factors(self) -> tuple[Factor, ...] | None:
        """The KPI as a product of its inputs' powers, or None for any other shape.

        `aov * frequency * paying_share` → (aov, 1), (frequency, 1), (paying_share, 1);
        `revenue / users * 100` → (revenue, 1), (users, −1): a constant multiplier does
        not move the KPI. A key raised to a constant (`a ** 2`) is a factor with that
        exponent; a key named twice has the exponents added. Sums, differences and
        signs are not products: those KPIs are decomposed another way.
        """
        tree = self._tree
        terms = tree.terms if isinstance(tree, _Product) else ((1, tree),)
        exponents: dict[str, float] = {}
        for sign, term in terms:
            if isinstance(term, _Const):
                continue
            if isinstance(term, _Key):
                key, exponent = term.key, 1.0
            elif isinstance(term, _Power) and isinstance(term.base, _Key):
                key, exponent = term.base.key, term.exponent
            else:
                return None
            exponents[key] = exponents.get(key, 0.0) + sign * exponent
        return tuple(Factor(key, exponent) for key, exponent in exponents.items())


def _divide(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    quotient: FloatArray = np.where(denominator == 0, np.nan, numerator / denominator)
    return quotient


def _evaluate(node: _Node, values: Mapping[str, FloatArray]) -> FloatArray:
    # Called inside np.errstate(all="ignore"); the depth is bounded by MAX_DEPTH.
    if isinstance(node, _Const):
        return np.asarray(node.value, dtype=np.float64)
    if isinstance(node, _Key):
        return values[node.key]
    if isinstance(node, _Neg):
        return np.negative(_evaluate(node.operand, values))
    if isinstance(node, _Power):
        base = _evaluate(node.base, values)
        if node.exponent < 0:
            return _divide(np.asarray(1.0), np.power(base, -node.exponent))
        return np.power(base, node.exponent)
    result = np.asarray(0.0 if isinstance(node, _Sum) else 1.0)
    for sign, term in node.terms:
        part = _evaluate(term, values)
        if isinstance(node, _Sum):
            result = np.add(result, part) if sign > 0 else np.subtract(result, part)
        else:
            result = np.multiply(result, part) if sign > 0 else _divide(result, part)
    return result


class _Parser:
    """Turns the text into the checked tree, refusing anything outside the whitelist."""

    def __init__(self, text: str, field: str) -> None:
        self.text = text
        self.field = field
        self.offset = 0  # where the parsed expression starts in `text`
        self.inputs: list[str] = []
        self.columns: list[int] = []
        self.names: dict[str, str] = {}  # placeholder name → the key it stands for

    def fail(self, column: int, what: str) -> InvalidInput:
        for placeholder, key in self.names.items():
            what = what.replace(placeholder, key)
        return InvalidInput(f"column {column}: {what}", field=self.field)

    def masked(self, body: str, *, words: bool = True) -> str:
        """The body with every key swapped for a placeholder of the same length (`_AA`,
        `_AB__` …: no key starts with '_'), so Python parses `trial-to-paid` or `in` as
        one name and every column stays where it was. With `words` off, keys that are
        Python's own words (`not`, `and`, `lambda`) are left for Python to read."""
        placeholders: dict[str, str] = {}
        pieces: list[str] = []
        last = 0
        for match in _TOKENS.finditer(body):
            key = match.group("key")
            if key is None:
                continue
            if not is_key(key):
                raise self.fail(
                    self.offset + match.start() + 1,
                    f"name {key[:20]!r}… is not a KPI key: {KEY_RULE}",
                )
            if key not in placeholders:
                placeholders[key] = (
                    key
                    if not words and keyword.iskeyword(key)
                    else self.placeholder(key, placeholders)
                )
            pieces.append(body[last : match.start()] + placeholders[key])
            last = match.end()
        pieces.append(body[last:])
        self.names = {p: k for k, p in placeholders.items() if p != k}
        return "".join(pieces)

    @staticmethod
    def placeholder(key: str, taken: dict[str, str]) -> str:
        """A name Python reads as one identifier, as long as `key`: the key itself when
        Python already does, else `_` and a code (at most 125 keys fit in a formula)."""
        if key.isidentifier() and not keyword.iskeyword(key):
            return key
        n = sum(1 for k, p in taken.items() if p != k and len(k) == len(key) == 2)
        if len(key) == 2:  # `in`, `a-`: one code letter
            return "_" + _CODES[n % len(_CODES)]
        n = len(taken)
        return ("_" + _CODES[n // len(_CODES) % len(_CODES)] + _CODES[n % len(_CODES)]).ljust(
            len(key), "_"
        )

    def python_tree(self, body: str) -> ast.Expression:
        """Python's tree of the body with its keys masked. When that is no expression,
        Python's words are tried as Python's (`not a`, `a and b`), so the refusal can name
        the construct; the first syntax error stands when neither reads."""
        try:
            return ast.parse(self.masked(body), mode="eval")
        except SyntaxError:
            names = self.names
            try:
                return ast.parse(self.masked(body, words=False), mode="eval")
            except SyntaxError:
                pass
            self.names = names
            return ast.parse(self.masked(body), mode="eval")

    def parse(self) -> Formula:
        text = self.text
        if len(text) > MAX_LENGTH:
            raise self.fail(
                MAX_LENGTH + 1, f"the formula is {len(text)} characters long; at most {MAX_LENGTH}"
            )
        for index, char in enumerate(text):
            if char in _LOOKALIKES:
                raise self.fail(
                    index + 1, f"{char!r} is not an operator; write {_LOOKALIKES[char]}"
                )
            if not (char.isascii() and char.isprintable()):
                raise self.fail(index + 1, f"{char!r} cannot appear in a formula ({_ALLOWED})")
        if not text.strip():
            raise self.fail(1, "the formula is empty")
        depth = 0
        for index, char in enumerate(text):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth > MAX_DEPTH:
                raise self.fail(
                    index + 1, f"the formula nests parentheses deeper than {MAX_DEPTH} levels"
                )
        target = None
        match = _TARGET.match(text)
        if match:
            target = match.group(1)
            self.check_key(target, match.start(1) + 1, "the formula's name")
            self.offset = match.end()
        body = text[self.offset :]
        stripped = body.lstrip()
        self.offset += len(body) - len(stripped)
        if not stripped.strip():
            raise self.fail(self.offset + 1, "nothing after '='")
        try:
            tree = self.python_tree(stripped)
        except SyntaxError as exc:
            if not exc.offset:  # the parser reached the end: something is missing
                column = len(text.rstrip()) + 1
                raise self.fail(column, "the formula ends too early") from None
            raise self.fail(self.offset + exc.offset, f"not a formula: {exc.msg}") from None
        except (ValueError, RecursionError, MemoryError):
            raise self.fail(self.offset + 1, "the formula is too complex to read") from None
        root = self.convert(tree.body, 1)
        if not self.inputs:
            raise self.fail(self.offset + 1, "the formula names no KPI")
        if target in self.inputs:
            raise self.fail(
                self.columns[self.inputs.index(target)],
                f"the formula's name {target!r} cannot also be one of its inputs",
            )
        return Formula(text, target, tuple(self.inputs), tuple(self.columns), root)

    def column(self, node: ast.expr) -> int:
        return self.offset + node.col_offset + 1

    def check_key(self, name: str, column: int, what: str) -> None:
        if name in self.names:
            return
        if name.startswith("_"):
            raise self.fail(column, f"{what} {name!r} starts with '_', which keys never do")
        if not is_key(name):
            raise self.fail(
                column,
                f"{what} {name!r} is not a KPI key: {KEY_RULE}",
            )

    def operator_column(self, node: ast.BinOp) -> int:
        # The tree does not record where the operator is: it is the first character
        # between the operands that is not a space or a parenthesis.
        left_end = node.left.end_col_offset or node.left.col_offset
        between = self.text[self.offset + left_end : self.offset + node.right.col_offset]
        skipped = len(between) - len(between.lstrip(" \t)"))
        return self.offset + left_end + skipped + 1

    def convert(self, node: ast.expr, depth: int) -> _Node:
        if depth > MAX_DEPTH:
            raise self.fail(self.column(node), f"the formula nests deeper than {MAX_DEPTH} levels")
        if isinstance(node, ast.Name):
            column = self.column(node)
            self.check_key(node.id, column, "name")
            key = self.names.get(node.id, node.id)
            if key not in self.inputs:
                self.inputs.append(key)
                self.columns.append(column)
            return _Key(key)
        if isinstance(node, ast.Constant):
            return _Const(self.number(node))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd | ast.USub):
                operand = self.convert(node.operand, depth + 1)
                if isinstance(node.op, ast.UAdd):
                    return operand
                if isinstance(operand, _Const):
                    return _Const(-operand.value)
                return _Neg(operand)
            word = "'not'" if isinstance(node.op, ast.Not) else "'~'"
            raise self.fail(self.column(node), f"{word} is not allowed ({_ALLOWED})")
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.Attribute):
            end = self.offset + (node.end_col_offset or node.col_offset) - len(node.attr) + 1
            raise self.fail(end, f"attribute access (.{node.attr}) is not allowed ({_ALLOWED})")
        what = next(
            (words for kind, words in _NOT_ALLOWED.items() if isinstance(node, kind)),
            type(node).__name__,
        )
        raise self.fail(self.column(node), f"{what} is not allowed ({_ALLOWED})")

    def number(self, node: ast.Constant) -> float:
        value = node.value
        column = self.column(node)
        if isinstance(value, bool):
            raise self.fail(column, f"{value} is not allowed: no booleans ({_ALLOWED})")
        if isinstance(value, str | bytes):
            raise self.fail(
                column, f"a string ({value!r}) is not allowed: write KPI keys without quotes"
            )
        if not isinstance(value, int | float):
            raise self.fail(column, f"{value!r} is not allowed ({_ALLOWED})")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.fail(column, "the number is too large")
        return number

    def binary(self, node: ast.BinOp, depth: int) -> _Node:
        if isinstance(node.op, ast.Pow):
            base = self.convert(node.left, depth + 1)
            return _Power(base, self.exponent(node.right))
        if type(node.op) in _OPERATORS:
            symbol = _OPERATORS[type(node.op)]
            raise self.fail(
                self.operator_column(node), f"operator {symbol!r} is not allowed ({_ALLOWED})"
            )
        additive = isinstance(node.op, ast.Add | ast.Sub)
        kinds = (ast.Add, ast.Sub) if additive else (ast.Mult, ast.Div)
        # Flatten the left-leaning chain a − b + c … into one level, left to right.
        chain: list[tuple[int, ast.expr]] = []
        current: ast.expr = node
        while isinstance(current, ast.BinOp) and isinstance(current.op, kinds):
            positive = isinstance(current.op, ast.Add | ast.Mult)
            chain.append((1 if positive else -1, current.right))
            current = current.left
        chain.append((1, current))
        chain.reverse()
        terms = tuple((sign, self.convert(term, depth + 1)) for sign, term in chain)
        return _Sum(terms) if additive else _Product(terms)

    def exponent(self, node: ast.expr) -> float:
        column = self.column(node)
        sign = 1.0
        inner = node
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
            inner = node.operand
        is_number = (
            isinstance(inner, ast.Constant)
            and isinstance(inner.value, int | float)
            and not isinstance(inner.value, bool)
        )
        if not is_number:
            raise self.fail(
                column,
                f"an exponent must be a number between {-MAX_EXPONENT} and {MAX_EXPONENT}, "
                "not an expression",
            )
        assert isinstance(inner, ast.Constant)
        value = sign * self.number(inner)
        if not -MAX_EXPONENT <= value <= MAX_EXPONENT:
            shown = ast.get_source_segment(self.text[self.offset :], node) or f"{value:g}"
            raise self.fail(
                column, f"exponent {shown} is outside [{-MAX_EXPONENT}, {MAX_EXPONENT}]"
            )
        return value
