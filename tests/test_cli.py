"""The ``graphgrad`` command line and its safe expression parser (SPEC §4).

The parser is checked against the same graph built by hand with the engine
(values, every gradient and the recorded operations must agree exactly); the
command is run in a subprocess, as a user runs it, both as ``python -m viz``
and as the installed console script.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, maximum, topological_order
from viz import expr
from viz.expr import ExpressionError, parse, parse_assignments

HANG_GUARD = 60  # seconds: a subprocess still running by then has hung (not a speed test)

# ---- the parser ----------------------------------------------------------------

# (expression, the same formula written on Values by hand)
SAME_AS_ENGINE: list[tuple[str, Callable[..., Value]]] = [
    ("(x + y) * z", lambda x, y, z: (x + y) * z),
    ("x - y / z", lambda x, y, z: x - y / z),
    ("-x * 2 + 1 / y - 3", lambda x, y: -x * 2 + 1 / y - 3),
    ("x ** 2 + y ** -1 + z ** 0.5", lambda x, y, z: x**2 + y**-1 + z**0.5),
    ("1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))", lambda w0, x0, w1, x1, w2: 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())),
    ("sigmoid(w0*x0 + w1*x1 + w2)", lambda w0, x0, w1, x1, w2: (w0 * x0 + w1 * x1 + w2).sigmoid()),
    ("2 * (x*y + max(z, w))", lambda x, y, z, w: 2 * (x * y + z.max(w))),
    ("max(2, x) + max(x, y)", lambda x, y: maximum(2, x) + x.max(y)),
    ("tanh(x) * relu(y) + log(z) + reciprocal(w)", lambda x, y, z, w: x.tanh() * y.relu() + z.log() + w.reciprocal()),
    ("leaky_relu(x) + leaky_relu(y, 0.2)", lambda x, y: x.leaky_relu() + y.leaky_relu(0.2)),
    ("+x * (y - 2) / 4", lambda x, y: x * (y - 2) / 4),
]


@pytest.mark.parametrize("text, by_hand", SAME_AS_ENGINE, ids=[text for text, _ in SAME_AS_ENGINE])
@given(data=st.data())
def test_parse_builds_the_graph_the_engine_builds_by_hand(text: str, by_hand: Callable[..., Value], data) -> None:
    names = by_hand.__code__.co_varnames[: by_hand.__code__.co_argcount]
    numbers = {name: data.draw(st.floats(-3, 3), label=name) for name in names}
    parsed = parse(text, numbers)
    leaves = [Value(numbers[name], label=name) for name in names]
    built = by_hand(*leaves)
    parsed.backward()
    built.backward()
    assert _same(parsed.data, built.data)
    assert [v.op for v in topological_order(parsed)] == [v.op for v in topological_order(built)]
    parsed_leaves = {v.label: v for v in topological_order(parsed) if v.label in numbers}
    assert set(parsed_leaves) == set(names)
    for leaf in leaves:
        assert _same(parsed_leaves[leaf.label].grad, leaf.grad), leaf.label


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def test_the_lecture_numbers() -> None:
    f = parse("(x + y) * z", {"x": -2, "y": 5, "z": -4})
    f.backward()
    x, y = f.parents[0].parents
    assert (f.label, f.data, x.grad, y.grad, f.parents[1].grad) == ("f", -12.0, -4.0, -4.0, 3.0)


def test_spaces_around_the_formula_do_not_matter() -> None:
    assert parse("  x * 2 \n", {"x": 3.0}).data == 6.0


def test_a_name_used_twice_is_one_value_whose_gradient_sums_both_uses() -> None:
    f = parse("x * x + x", {"x": 3.0})
    f.backward()
    xs = [v for v in topological_order(f) if v.label == "x"]
    assert len(xs) == 1 and f.parents[0].parents == (xs[0], xs[0])
    assert xs[0].grad == 2 * 3.0 + 1


def test_number_only_parts_are_computed_as_floats_and_folded_into_the_gate() -> None:
    f = parse("(2 + 4) * x", {"x": 1.0})
    assert f.op == "*" and f.parents[0].data == 6.0 and not f.parents[0].parents


@pytest.mark.parametrize(
    "text, expected",
    [("9**9**9 * x", math.inf), ("x ** 9**9**9", math.inf), ("1e999 * x", math.inf), ("1/0 * x", math.inf),
     ("0/0 + x", math.nan), ("-1/0 * x", -math.inf), ("log(-1) + x", math.nan), ("exp(1000) * x", math.inf),
     ("9" * 400 + " * x", math.inf), ("(-8) ** (1/3) + x", math.nan)],
)  # fmt: skip
def test_huge_and_undefined_numbers_follow_ieee_instead_of_raising_or_hanging(text: str, expected: float) -> None:
    assert _same(parse(text, {"x": 2.0}).data, expected)


def test_the_result_is_labelled_f_unless_a_variable_has_that_name() -> None:
    assert parse("x + 1", {"x": 1}).label == "f"
    assert parse("f * 2", {"f": 1}).label == "out"
    assert parse("x", {"x": 1}).label == "x"  # a bare variable keeps its name
    assert (parse("2 * 3", {}).label, parse("2 * 3", {}).data) == ("f", 6.0)


# (expression, words the one-line message must contain)
REFUSED = [
    ("__import__('os')", "calling __import__ is not allowed"),
    ("x.real", "attribute access is not allowed: 'x.real'"),
    ("x.__class__", "attribute access"),
    ("(lambda: 1)()", "calling 'lambda: 1' is not allowed"),
    ("lambda: x", "a lambda is not allowed"),
    ("[x]", "a list is not allowed"),
    ("x[0]", "indexing is not allowed"),
    ("x if y else 1", "a conditional"),
    ("open('f')", "calling open is not allowed"),
    ("exp(x, y)", "exp takes 1 argument, not 2"),
    ("max(x)", "max takes 2 arguments, not 1"),
    ("leaky_relu(x, 1, 2)", "leaky_relu takes 1 or 2 arguments, not 3"),
    ("leaky_relu(x, slope=0.1)", "a keyword argument is not allowed"),
    ("exp(*[x])", "unpacking (*) is not allowed"),
    ("leaky_relu(x, y)", "the slope of leaky_relu must be a number"),
    ("x(2)", "x is a variable, not a function"),
    ("exp + x", "exp is a function"),
    ("tahn(x)", "(did you mean 'tanh'?)"),
    ("x // y", "the operator // is not allowed"),
    ("x ^ y", "for a power write **"),
    ("x @ y", "the operator @"),
    ("not x", "the operator not"),
    ("x < y", "a comparison is not allowed"),
    ("x and y", "and/or is not allowed"),
    ("{x: y}", "a dict is not allowed"),
    ("[x for x in y]", "a comprehension is not allowed"),
    ("f'{x}'", "an f-string is not allowed"),
    ("(y := x)", "an assignment (:=) is not allowed"),
    ("'x' * y", "a string is not allowed"),
    ("True * x", "True/False is not allowed"),
    ("1j * x", "a complex number is not allowed"),
    ("x ** y", "write exp(y * log(x))"),
    ("2 ** (x + y)", "write exp((x + y) * log(2))"),
    ("q + x", "no value given for q; give one as q=NUMBER"),
    ("xx * y", "(did you mean 'x'?)"),
    ("(x + y", "syntax error at column 1: '(' was never closed"),
    ("x +* y", "syntax error"),
    ("x=1", "the expression comes first"),
    ("", "the expression is empty"),
    ("x\0", "null bytes"),
    ("x" + " + x" * 600, "characters; the limit is 2,000"),
    ("-" * 300 + "x", "nested more than 200 levels deep"),
    ("+".join(["x"] * 201), "each + in a + b + c"),
    ("(" * 100_000 + "x" + ")" * 100_000, "the limit is 2,000"),
]


@pytest.mark.parametrize("text, words", REFUSED, ids=[text[:30] for text, _ in REFUSED])
def test_anything_but_a_formula_is_refused_with_one_line_saying_what_and_why(text: str, words: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text, {"x": 1.0, "y": 2.0})
    message = str(caught.value)
    assert words in message and "\n" not in message


def test_allowed_names_the_functions_from_the_op_table() -> None:
    for name in ("exp", "log", "tanh", "sigmoid", "relu", "leaky_relu", "max(a, b)"):
        assert name in expr.ALLOWED


def test_python_parser_giving_up_on_deep_nesting_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(expr, "MAX_LENGTH", 10**6)  # let the text through to Python's own parser
    for text in ["-" * 100_000 + "x", "+".join(["x"] * 5_000), "(" * 100_000 + "x" + ")" * 100_000]:
        with pytest.raises(ExpressionError, match="nested|parentheses"):
            parse(text, {"x": 1.0})


@pytest.mark.parametrize(
    "variables, words",
    [({"x": 1, "y": 2}, "y is given a value but the expression does not use it"),
     ({"x": 1, "exp": 2}, "exp is a function name"),
     ({"x": 1, "2x": 2}, "'2x' cannot be a variable name"),
     ({"x": 1, "lambda": 2}, "'lambda' cannot be a variable name")],
)  # fmt: skip
def test_bad_variables_are_refused(variables: dict[str, float], words: str) -> None:
    with pytest.raises(ExpressionError, match=words.replace("(", r"\(")):
        parse("x * 2", variables)


def test_parse_assignments_reads_numbers_in_any_float_spelling() -> None:
    got = parse_assignments(["x=-2", "y=5e-1", "z= 3 ", "w=inf", "v=1_000"])
    assert got == {"x": -2.0, "y": 0.5, "z": 3.0, "w": math.inf, "v": 1000.0}


@pytest.mark.parametrize(
    "items, words",
    [(["x=1", "x=2"], "x is given twice (x=1 and x=2)"), (["x"], "expected NAME=VALUE"),
     (["=1"], "expected NAME=VALUE"), (["x=two"], "the value of x must be a number"),
     (["x="], "the value of x must be a number"),
     (["x=1+1"], "got '1+1'"), (["1x=1"], "cannot be a variable name"), (["tanh=1"], "tanh is a function name")],
)  # fmt: skip
def test_parse_assignments_refuses_malformed_words(items: list[str], words: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_assignments(items)
    assert words in str(caught.value)


# ---- the command, in a subprocess ------------------------------------------------

CONSOLE_SCRIPT = shutil.which("graphgrad", path=str(Path(sys.executable).parent))
LAUNCHERS = {"python -m viz": [sys.executable, "-m", "viz"]}
if CONSOLE_SCRIPT:  # installed by pip install (-e) .
    LAUNCHERS["graphgrad"] = [CONSOLE_SCRIPT]


def graphgrad(*args: str, cwd: Path, launcher: str = "python -m viz") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LAUNCHERS[launcher], *args], cwd=cwd, capture_output=True, text=True, timeout=HANG_GUARD, check=False
    )


def test_the_console_script_is_installed() -> None:
    assert CONSOLE_SCRIPT, "pip install -e . puts graphgrad next to python"


def test_help_shows_examples(tmp_path: Path) -> None:
    result = graphgrad("--help", cwd=tmp_path)
    assert result.returncode == 0 and 'graphgrad draw "(x + y) * z" x=-2 y=5 z=-4 -o f.svg' in result.stdout
    assert "graphgrad examples -o" in graphgrad("draw", "--help", cwd=tmp_path).stdout


OLD = "<svg>an older drawing, to be left alone</svg>"

# Each a command line that must fail: (arguments, words of the one stderr line). Each writes to f.svg.
BAD_INPUT = [
    (["draw", "(x + y) * q", "x=-2", "y=5", "-o", "f.svg"], "no value given for q"),
    (["draw", "(x + y) * z", "x=-2", "y=5", "-o", "f.svg"], "no value given for z"),
    (["draw", "(x + y * z", "x=-2", "y=5", "z=1", "-o", "f.svg"], "syntax error"),
    (["draw", "x * y", "x=1", "x=2", "y=1", "-o", "f.svg"], "x is given twice"),
    (["draw", "x * y", "x", "y=1", "-o", "f.svg"], "expected NAME=VALUE"),
    (["draw", "x * y", "x=abc", "y=1", "-o", "f.svg"], "the value of x must be a number"),
    (["draw", "x * y", "x=1", "y=1", "z=1", "-o", "f.svg"], "z is given a value but the expression does not use it"),
    (["draw", "__import__('os').system('touch pwned')", "-o", "f.svg"], "calling"),
    (["draw", "x.real", "x=1", "-o", "f.svg"], "attribute access"),
    (["draw", "(lambda: 1)()", "-o", "f.svg"], "lambda"),
    (["draw", "[x]", "x=1", "-o", "f.svg"], "a list"),
    (["draw", "x if y else z", "x=1", "y=1", "z=1", "-o", "f.svg"], "a conditional"),
    (["draw", "open('f')", "-o", "f.svg"], "calling open"),
    (["draw", "exp(x, y)", "x=1", "y=1", "-o", "f.svg"], "exp takes 1 argument"),
    (["draw", "leaky_relu(x, slope=0.1)", "x=1", "-o", "f.svg"], "keyword argument"),
    (["draw", "(" * 50_000 + "x" + ")" * 50_000, "x=1", "-o", "f.svg"], "the limit is 2,000"),
    (["draw", "-x", "x=1", "-o", "f.svg"], "goes after '--'"),
    (["draw", "x * y", "x=1", "y=2"], "required: -o/--output"),
    (["draw", "x * y", "x=1", "y=2", "-o", "f.pdf"], ".pdf"),
    (["draw", "x * y", "x=1", "y=2", "-o", "missing/f.svg"], "the folder 'missing' does not exist"),
    (["draw", "x * y", "x=1", "y=2", "-o", "."], "cannot write '.': it is a folder"),
    (["draw", "x * y", "x=1", "y=2", "-o", "f.svg", "--precision", "many"], "--precision"),
    (["draw", "x * y", "x=1", "y=2", "-o", "f.svg", "--colour", "red"], "unrecognized arguments: --colour"),
    (["paint", "x", "-o", "f.svg"], "invalid choice: 'paint'"),
    ([], "required: COMMAND"),
]


@pytest.mark.parametrize("args, words", BAD_INPUT, ids=[" ".join(a)[:40] for a, _ in BAD_INPUT])
def test_bad_input_exits_2_with_one_line_and_leaves_the_old_file_alone(
    tmp_path: Path, args: list[str], words: str
) -> None:
    (tmp_path / "f.svg").write_text(OLD)
    result = graphgrad(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("graphgrad: error: ") and words in lines[0], result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["f.svg"] and (tmp_path / "f.svg").read_text() == OLD


# ---- drawing -------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(path: Path) -> set[str]:
    """Every text of an SVG file, parsed as XML (which also proves it is well-formed)."""
    root = ET.parse(path).getroot()
    assert root.tag == SVG + "svg"
    return {"".join(t.itertext()).strip() for t in root.iter(SVG + "text")}


@pytest.mark.parametrize("launcher", list(LAUNCHERS))
def test_draw_writes_the_lecture_example(tmp_path: Path, launcher: str) -> None:
    result = graphgrad("draw", "(x + y) * z", "x=-2", "y=5", "z=-4", "-o", "f.svg", cwd=tmp_path, launcher=launcher)
    assert (result.returncode, result.stderr) == (0, "")
    assert "f = -12.00" in result.stdout and "df/dx = -4.00" in result.stdout and "wrote f.svg" in result.stdout
    texts = svg_texts(tmp_path / "f.svg")
    assert {"x", "y", "z", "f", "-2.00", "5.00", "-4.00", "3.00", "-12.00", "1.00"} <= texts
    assert [p.name for p in tmp_path.iterdir()] == ["f.svg"]  # no temporary file left behind


def test_both_launchers_write_the_same_bytes(tmp_path: Path) -> None:
    if len(LAUNCHERS) < 2:
        pytest.fail("the graphgrad console script is not installed")
    for launcher in LAUNCHERS:
        args = ["draw", "2 * (x*y + max(z, w))", "x=3", "y=-4", "z=2", "w=-1", "-o", f"{launcher}.svg"]
        assert graphgrad(*args, cwd=tmp_path, launcher=launcher).returncode == 0
    first, second = (tmp_path / f"{launcher}.svg" for launcher in LAUNCHERS)
    assert first.read_bytes() == second.read_bytes()


def test_draw_formats_precision_and_replacing_an_old_file(tmp_path: Path) -> None:
    (tmp_path / "f.svg").write_text(OLD)
    args = ["(x + y) * z", "x=-2", "y=5", "z=-4"]
    assert graphgrad("draw", *args, "-o", "f.svg", "--precision", "3", cwd=tmp_path).returncode == 0
    assert "-12.000" in svg_texts(tmp_path / "f.svg")
    assert (tmp_path / "f.svg").stat().st_mode & 0o777 == 0o666 & ~_umask()  # not the temp file's private mode
    assert graphgrad("draw", *args, "-o", "f.png", cwd=tmp_path).returncode == 0
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert graphgrad("draw", *args, "-o", "f.dot", cwd=tmp_path).returncode == 0
    assert "digraph" in (tmp_path / "f.dot").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.dot", "f.png", "f.svg"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("args", [["x ** 9**9**9", "x=2"], ["9**9**9 * x", "x=1"], ["exp(x)", "x=1e308"]])
def test_huge_numbers_finish_and_draw_as_inf(tmp_path: Path, args: list[str]) -> None:
    result = graphgrad("draw", *args, "-o", "f.svg", cwd=tmp_path)  # HANG_GUARD would catch an exact 9**9**9
    assert result.returncode == 0, result.stderr
    assert "inf" in svg_texts(tmp_path / "f.svg")


LECTURE_NUMBERS = {
    "1-add-mul.svg": {"x", "y", "z", "q", "f", "-2.00", "5.00", "-4.00", "3.00", "-12.00", "1.00"},
    "2-sigmoid-neuron.svg": {"w0", "x0", "w1", "x1", "w2", "0.73", "1.37", "-0.53", "-0.20", "0.39", "-0.39", "-0.59"},
    "2-sigmoid-neuron-one-gate.svg": {"w0", "0.73", "-0.20", "0.39", "-0.39", "-0.59", "0.20"},
    "3-max-gate.svg": {"-20.00", "-12.00", "-8.00", "6.00", "2.00", "0.00", "max"},
}


def test_examples_writes_the_lecture_circuits_into_a_new_nested_directory(tmp_path: Path) -> None:
    result = graphgrad("examples", "-o", "a/b/c", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    written = tmp_path / "a" / "b" / "c"
    assert sorted(p.name for p in written.iterdir()) == sorted(LECTURE_NUMBERS)
    for name, numbers in LECTURE_NUMBERS.items():
        assert numbers <= svg_texts(written / name), name
        assert str(Path("a/b/c") / name) in result.stdout


@pytest.mark.parametrize("command", ["examples", "demo"])
def test_a_directory_that_cannot_be_made_exits_2_and_writes_nothing(tmp_path: Path, command: str) -> None:
    (tmp_path / "f.svg").write_text(OLD)
    for target in ["f.svg", "f.svg/sub"]:
        result = graphgrad(command, "-o", target, cwd=tmp_path)
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
        assert result.stderr.startswith(f"graphgrad: error: cannot create directory '{target}'")
    assert [p.name for p in tmp_path.iterdir()] == ["f.svg"] and (tmp_path / "f.svg").read_text() == OLD


def test_demo_writes_the_tour_into_graphgrad_demo_and_says_where(tmp_path: Path) -> None:
    result = graphgrad("demo", "--epochs", "3", cwd=tmp_path)  # few epochs: this checks the wiring, not learning
    assert (result.returncode, result.stderr) == (0, "")
    written = tmp_path / "graphgrad-demo"
    drawings = [*LECTURE_NUMBERS, "moons-model.svg", "moons-mlp.svg", "moons-neuron.svg"]
    assert sorted(p.name for p in written.iterdir()) == sorted([*drawings, "sigmoid-neuron-backward.html"])
    for name in drawings:
        svg_texts(written / name)  # each parses
        assert str(Path("graphgrad-demo") / name) in result.stdout
    assert {"score", "x0", "x1", "1.00"} <= svg_texts(written / "moons-mlp.svg")
    assert {"h", "x0", "x1", "tanh"} <= svg_texts(written / "moons-neuron.svg")
    page = (written / "sigmoid-neuron-backward.html").read_text()
    assert page.count("<svg") >= 1 and "step 1 of" in page
    accuracy = re.search(r"accuracy: (\d+)% on the training points, (\d+)% on 200 new ones", result.stdout)
    assert accuracy and all(0 <= int(a) <= 100 for a in accuracy.groups())


def test_demo_learns_the_moons(tmp_path: Path) -> None:
    result = graphgrad("demo", "-o", "out", cwd=tmp_path)  # the default training: a few seconds
    accuracy = re.search(r"(\d+)% on 200 new ones", result.stdout)
    assert result.returncode == 0 and accuracy and int(accuracy.group(1)) >= 90, result.stdout


# ---- all or nothing, and one line for any output-path problem (SPEC §7) ---------------------


def _tree(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` with its content ("/" for a folder): what the command left."""
    return {
        str(p.relative_to(folder)): "/" if p.is_dir() else p.read_bytes().decode("utf-8", "replace")
        for p in sorted(folder.rglob("*"))
    }


def _one_error_line(result: subprocess.CompletedProcess[str], *words: str) -> str:
    lines = result.stderr.splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert lines[0].startswith("graphgrad: error: ") and all(w in lines[0] for w in words), lines[0]
    return lines[0]


@pytest.mark.parametrize("command, in_the_way", [("examples", "3-max-gate.svg"), ("demo", "moons-neuron.svg")])
def test_a_folder_in_the_way_of_one_output_writes_nothing(tmp_path: Path, command: str, in_the_way: str) -> None:
    out = tmp_path / "out"
    (out / in_the_way).mkdir(parents=True)
    (out / "1-add-mul.svg").write_text(OLD)  # an older drawing: left as it was
    before = _tree(tmp_path)
    result = graphgrad(command, "-o", "out", cwd=tmp_path)
    _one_error_line(result, str(Path("out") / in_the_way), "folder")
    assert "training" not in result.stdout  # the demo checked its outputs before its training
    assert _tree(tmp_path) == before


LONG_NAME = "x" * 300


@pytest.mark.parametrize(
    "args",
    [
        ["draw", "x * 2", "x=1", "-o", LONG_NAME + ".svg"],
        ["draw", "x * 2", "x=1", "-o", LONG_NAME + "/f.svg"],
        ["examples", "-o", LONG_NAME],
        ["examples", "-o", "/".join(["deep" * 60] * 20)],  # each name fits, the path does not
        ["demo", "-o", LONG_NAME],
    ],
    ids=["draw-file", "draw-folder", "examples", "examples-path", "demo"],
)
def test_a_name_too_long_is_one_line_not_a_traceback(tmp_path: Path, args: list[str]) -> None:
    result = graphgrad(*args, cwd=tmp_path)
    _one_error_line(result, "too long")
    assert _tree(tmp_path) == {}


def _unprivileged(command: list[str]) -> list[str]:
    """``command`` without root's power to ignore permission bits (the capabilities that grant it dropped)."""
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command] if os.geteuid() == 0 else command


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
@pytest.mark.parametrize(
    "args, where",
    [
        (["draw", "x * 2", "x=1", "-o", "locked/f.svg"], "locked/f.svg"),
        (["examples", "-o", "locked"], "locked/1-add-mul.svg"),
        (["examples", "-o", "locked/new"], "locked/new"),
        (["demo", "-o", "locked"], "locked/"),
    ],
    ids=["draw", "examples", "examples-new-folder", "demo"],
)
def test_a_folder_without_permission_is_one_line_and_nothing_written(
    tmp_path: Path, args: list[str], where: str
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "1-add-mul.svg").write_text(OLD)
    locked.chmod(0o555)  # anyone may look, no one may write
    before = _tree(tmp_path)
    result = subprocess.run(
        _unprivileged([*LAUNCHERS["python -m viz"], *args]), cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    _one_error_line(result, where, "Permission denied")
    assert "training" not in result.stdout
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("output", ["out", "new/nested"])
def test_a_failure_while_writing_the_files_leaves_none_of_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    from viz import cli

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "1-add-mul.svg").write_text(OLD)
    before = _tree(tmp_path)
    real_write, writes = os.write, []

    def disk_full_at_the_third_file(fd: int, data: bytes) -> int:
        if stat.S_ISREG(os.fstat(fd).st_mode):  # a file (not the pipe to the layout program)
            writes.append(fd)
        if len(writes) == 3:
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", disk_full_at_the_third_file)
    assert cli.main(["examples", "-o", str(tmp_path / output)]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert _tree(tmp_path) == before  # no file written, no older file changed, no folder made


def test_a_syntax_warning_does_not_become_a_second_stderr_line(tmp_path: Path) -> None:
    result = graphgrad("draw", "1if x else x", "x=1", "-o", "f.svg", cwd=tmp_path)
    assert "SyntaxWarning" not in result.stderr
    _one_error_line(result)
    assert _tree(tmp_path) == {}
