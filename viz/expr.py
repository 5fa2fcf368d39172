"""Turn a formula typed by a person, such as ``"(x + y) * z"``, into a graph of Values — safely.

The command line draws what you type, so this module reads the text without
ever running it: no ``eval``. Python's own parser (``ast``) splits the text
into a tree, and a whitelist walk builds the graph from the few kinds of node
a formula needs — numbers, variable names, ``+ - * / **``, parentheses and the
engine's functions called by name. Anything else (attribute access, calling
``open``, a lambda, indexing, …) is refused with a message saying what was
found and what is allowed.

Parts made of numbers only are computed as plain IEEE floats (``2 * 3`` is 6,
``9**9**9`` is inf — at once, never an exact 370-million-digit integer); only
the parts that involve a variable become nodes of the graph.

>>> f = parse("(x + y) * z", {"x": -2, "y": 5, "z": -4})
>>> f.backward()
>>> f.label, f.data, f.parents[0].parents[0].grad
('f', -12.0, -4.0)
"""

from __future__ import annotations

import ast
import difflib
import keyword
import math
from collections.abc import Iterable, Mapping

from autograd import OPS, Value, maximum, no_grad, numerics

MAX_LENGTH = 2_000  # characters; a formula for one drawing is far shorter
MAX_NODES = 400  # numbers, names and operations: a bigger drawing is unreadable anyway
MAX_DEPTH = 200  # nesting; keeps the recursive walk below far from Python's recursion limit

# The engine's one-operand operations that are Value methods (exp, log, tanh, …);
# ``**`` is written as an operator instead. leaky_relu takes an optional number, its slope.
_UNARY = [op.name for op in OPS.values() if op.arity == 1 and op.name != "pow"]
FUNCTIONS: dict[str, tuple[int, int]] = {name: (1, 1) for name in _UNARY}  # name -> (fewest, most) arguments
FUNCTIONS["leaky_relu"] = (1, 2)
FUNCTIONS["max"] = (2, 2)

_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_SIGNS = (ast.USub, ast.UAdd)
ALLOWED = "allowed: numbers, variable names, + - * / **, parentheses and the functions " + ", ".join(
    "max(a, b)" if name == "max" else name for name in FUNCTIONS
)

# What the refused constructs are called in messages (anything not listed: its ast class name).
_REFUSED = {
    ast.Attribute: "attribute access",
    ast.Subscript: "indexing",
    ast.Slice: "a slice",
    ast.Lambda: "a lambda",
    ast.IfExp: "a conditional (... if ... else ...)",
    ast.Compare: "a comparison",
    ast.BoolOp: "and/or",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Set: "a set",
    ast.Dict: "a dict",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.JoinedStr: "an f-string",
    ast.NamedExpr: "an assignment (:=)",
    ast.Starred: "unpacking (*)",
    ast.Await: "await",
    ast.keyword: "a keyword argument",
}
_REFUSED_OPERATORS = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^ (for a power write **)",
    ast.BitAnd: "&",
    ast.Not: "not",
    ast.Invert: "~",
}

_CONSTANTS = {str: "a string", bytes: "bytes", bool: "True/False", complex: "a complex number", type(None): "None"}

Result = Value | float  # a node of the graph, or a number not (yet) tied to any variable


class ExpressionError(ValueError):
    """A formula or a NAME=VALUE that cannot be used; the message is one line saying why.

    >>> parse("x.real", {"x": 1})
    Traceback (most recent call last):
    ...
    viz.expr.ExpressionError: attribute access is not allowed: 'x.real' at column 1; allowed: ...
    """


def parse(text: str, variables: Mapping[str, float]) -> Value:
    """Build the graph of ``text`` with each variable a leaf Value labelled by its name.

    A name used twice is one Value (its gradient sums both uses). The result
    is labelled ``f`` (``out`` if a variable is called f). Every variable
    given must be used, so a typo cannot go unnoticed. Raises
    ``ExpressionError`` for anything that is not a formula over those names.

    >>> f = parse("x * x + 1", {"x": 3})
    >>> f.backward()
    >>> f.data, f.parents[0].parents[0].grad
    (10.0, 6.0)
    >>> parse("exp(x) + tahn(x)", {"x": 1})
    Traceback (most recent call last):
    ...
    viz.expr.ExpressionError: tahn is not a function here: 'tahn(x)' at column 10; ... (did you mean 'tanh'?)
    """
    if not isinstance(text, str):
        raise TypeError(f"the expression must be a str, got {type(text).__name__}")
    text = text.strip()  # Python would read leading spaces as an indent
    tree = _syntax_tree(text)
    for name in variables:
        _check_name(name)
    leaves = {name: Value(value, label=name) for name, value in variables.items()}
    used: set[str] = set()
    result = _Builder(text, leaves, used).build(tree.body)
    unused = [name for name in variables if name not in used]
    if unused:
        raise ExpressionError(f"{unused[0]} is given a value but the expression does not use it")
    if not isinstance(result, Value):
        result = Value(result)  # a formula of numbers only: one leaf
    if not (result.label and result.label in leaves):  # a bare variable keeps its name
        result.label = next((name for name in ("f", "out", "result") if name not in leaves), "")
    return result


def parse_assignments(items: Iterable[str]) -> dict[str, float]:
    """Read command-line ``NAME=VALUE`` words into a dict of floats.

    >>> parse_assignments(["x=-2", "y=5e-1"])
    {'x': -2.0, 'y': 0.5}
    >>> parse_assignments(["x=1", "x=2"])
    Traceback (most recent call last):
    ...
    viz.expr.ExpressionError: x is given twice (x=1 and x=2)
    """
    values: dict[str, float] = {}
    given: dict[str, str] = {}
    for item in items:
        name, sep, number = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ExpressionError(f"expected NAME=VALUE (such as x=-2), got {item!r}")
        _check_name(name)
        if name in values:
            raise ExpressionError(f"{name} is given twice ({given[name]} and {item})")
        try:
            values[name] = float(number)
        except ValueError:
            raise ExpressionError(f"the value of {name} must be a number (such as -2 or 0.5), got {number!r}") from None
        given[name] = item
    return values


def _syntax_tree(text: str) -> ast.Expression:
    """Python's parse of ``text`` as one expression, with every failure as an ExpressionError."""
    if not text:
        raise ExpressionError("the expression is empty; write a formula such as '(x + y) * z'")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression has {len(text):,} characters; the limit is {MAX_LENGTH:,}")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        where = f" at column {error.offset}" if error.offset else ""
        hint = "; the expression comes first, then NAME=VALUE words" if "=" in text and "==" not in text else ""
        raise ExpressionError(f"syntax error{where}: {error.msg}{hint}") from None
    except (RecursionError, MemoryError):  # Python's parser gives up on very deep nesting
        raise ExpressionError(f"the expression is nested too deeply; the limit is {MAX_DEPTH} levels") from None
    except ValueError as error:  # e.g. a null byte, on some Python versions
        raise ExpressionError(f"the expression cannot be read: {error}") from None
    _check_size(tree)
    return tree


def _check_size(tree: ast.Expression) -> None:
    """Refuse trees with too many nodes or nested too deep (counted without recursion)."""
    nodes, stack = 0, [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise ExpressionError(f"the expression has more than {MAX_NODES} numbers, names and operations")
        if depth > MAX_DEPTH:
            raise ExpressionError(
                f"the expression is nested more than {MAX_DEPTH} levels deep (each + in a + b + c + ... adds one)"
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise ExpressionError(f"{name!r} cannot be a variable name; use letters, digits and _ (such as x or w0)")
    if name in FUNCTIONS:
        raise ExpressionError(f"{name} is a function name; call the variable something else")


def _did_you_mean(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Builder:
    """One walk over the tree: numbers stay floats, anything touching a variable becomes Values."""

    def __init__(self, text: str, leaves: dict[str, Value], used: set[str]) -> None:
        self.text, self.leaves, self.used = text, leaves, used

    def build(self, node: ast.expr) -> Result:
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.variable(node)
        if isinstance(node, ast.UnaryOp) and type(node.op) in _SIGNS:
            operand = self.build(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand  # -Value is Value * -1
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return self.binary(node, self.build(node.left), self.build(node.right))
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            raise self.refuse(node, f"the operator {_REFUSED_OPERATORS.get(type(node.op), '?')} is not allowed")
        raise self.refuse(node, f"{_REFUSED.get(type(node), type(node).__name__)} is not allowed")

    def number(self, node: ast.Constant) -> float:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = _CONSTANTS.get(type(value), f"the constant {value!r}")
            raise self.refuse(node, f"{kind} is not allowed (numbers only)")
        try:
            return float(value)
        except OverflowError:  # an integer literal beyond the float range
            return math.inf

    def variable(self, node: ast.Name) -> Value:
        name = node.id
        if name in self.leaves:
            self.used.add(name)
            return self.leaves[name]
        if name in FUNCTIONS:
            raise self.refuse(node, f"{name} is a function: call it with parentheses, as in {name}(x)")
        hint = _did_you_mean(name, self.leaves)
        raise ExpressionError(f"no value given for {name}; give one as {name}=NUMBER{hint}")

    def binary(self, node: ast.BinOp, a: Result, b: Result) -> Result:
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if isinstance(node.op, ast.Div):
            if isinstance(a, Value) or isinstance(b, Value):
                return a / b  # the engine: a * b.reciprocal(), inf at 0
            return a / b if b != 0.0 else a * numerics.reciprocal(b)  # IEEE: ±inf, or nan for 0/0
        # a ** b: the engine takes a number exponent only (its local derivative needs no log of the base)
        if isinstance(b, Value):
            base, exponent = (self.segment(side) for side in (node.left, node.right))
            if not isinstance(node.right, (ast.Name, ast.Constant)):
                exponent = f"({exponent})"
            raise ExpressionError(
                f"the exponent in {self.segment(node)!r} involves a variable; only a number exponent is allowed: "
                f"write exp({exponent} * log({base})) instead"
            )
        return a**b if isinstance(a, Value) else numerics.power(a, b)  # IEEE pow: 9.0**9**9 is inf

    def call(self, node: ast.Call) -> Result:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name is None:
            raise self.refuse(node, f"calling {self.segment(node.func)!r} is not allowed")
        if name not in FUNCTIONS:
            if name in self.leaves:
                raise self.refuse(node, f"{name} is a variable, not a function")
            hint = _did_you_mean(name, FUNCTIONS)
            what = f"{name} is not a function here" if hint else f"calling {name} is not allowed"
            raise self.refuse(node, what, hint=hint)
        if node.keywords:
            raise self.refuse(node.keywords[0], "a keyword argument is not allowed (pass arguments by position)")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.refuse(arg, "unpacking (*) is not allowed")
        fewest, most = FUNCTIONS[name]
        if not fewest <= len(node.args) <= most:
            wanted = str(fewest) if fewest == most else f"{fewest} or {most}"
            raise self.refuse(node, f"{name} takes {wanted} argument{'s' * (most > 1)}, not {len(node.args)}")
        args = [self.build(arg) for arg in node.args]
        if name == "max":
            if isinstance(args[0], Value) or isinstance(args[1], Value):
                return maximum(args[0], args[1])
            return numerics.maximum(args[0], args[1])
        operand, *parameters = args
        if parameters and isinstance(parameters[0], Value):
            raise self.refuse(node.args[1], f"the slope of {name} must be a number, not a variable")
        if isinstance(operand, Value):
            return getattr(operand, name)(*parameters)
        with no_grad():  # numbers only: the engine's own function, nothing recorded
            return getattr(Value(operand), name)(*parameters).data

    def segment(self, node: ast.AST) -> str:
        """The source text of ``node`` (shortened), to quote in messages."""
        source = ast.get_source_segment(self.text, node) or type(node).__name__
        return source if len(source) <= 40 else source[:37] + "..."

    def refuse(self, node: ast.AST, what: str, hint: str = "") -> ExpressionError:
        """The error for ``node``: what is wrong, the text and its column, and what is allowed."""
        column = getattr(node, "col_offset", -1) + 1
        where = f" at column {column}" if column > 0 else ""
        return ExpressionError(f"{what}: {self.segment(node)!r}{where}; {ALLOWED}{hint}")
