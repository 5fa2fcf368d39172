"""The ``graphgrad`` command: draw a formula, or the lecture's circuits, from a shell.

    graphgrad draw "(x + y) * z" x=-2 y=5 z=-4 -o f.svg
    graphgrad examples -o drawings
    graphgrad demo

``python -m viz`` is the same command where the console script is not on PATH.
Every mistake in the input, and every problem with an output path (a
missing folder, no permission, a name too long, a folder in the way), ends
the same way: one line on stderr starting ``graphgrad: error:``, exit status
2, and no file written or changed. To get there, every output path is
checked before any work (the demo's 16 s of training included), everything
is drawn before anything is written, and the files are written all or none
(``nn.files.write_all``: each complete beside its target before any is
renamed into place); a folder the command made is removed again on failure.

>>> main(["draw", "x * y", "x=2", "-o", "f.svg"])  # stderr: graphgrad: error: no value given for y; ...
2
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NoReturn

import viz
from autograd import Value, examples, topological_order

from .clash import require
from .drawing import MAX_PRECISION, SAVE_FORMATS
from .expr import ExpressionError, parse, parse_assignments
from .scene import format_number

PROG = "graphgrad"

# The lecture's circuits (SPEC §5): file name -> (what it shows, the function that builds it).
LECTURE_DRAWINGS: dict[str, tuple[str, Callable[[], tuple[Value, dict[str, Value]]]]] = {
    "1-add-mul.svg": ("f = (x + y) * z", examples.add_mul),
    "2-sigmoid-neuron.svg": ("the sigmoid neuron from * + *-1 exp +1 1/x gates", examples.sigmoid_neuron),
    "2-sigmoid-neuron-one-gate.svg": (
        "the same neuron with one sigmoid gate: the same gradients",
        lambda: examples.sigmoid_neuron(single_gate=True),
    ),
    "3-max-gate.svg": ("f = 2 * (x*y + max(z, w)): the max gate routes the gradient", examples.max_gate),
}

_EPILOG = """examples:
  graphgrad draw "(x + y) * z" x=-2 y=5 z=-4 -o f.svg
  graphgrad draw "1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))" w0=2 x0=-1 w1=-3 x1=-2 w2=-3 -o neuron.svg
  graphgrad draw "2 * (x*y + max(z, w))" x=3 y=-4 z=2 w=-1 -o max.png --precision 3
  graphgrad examples -o drawings
  graphgrad demo                 # the tour: lecture circuits, backward step by step, a trained MLP

An expression that starts with '-' goes after '--':  graphgrad draw -o f.svg -- "-x * y" x=1 y=2
"""


class UsageError(Exception):
    """Bad input to the command: reported as one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (not usage + error) and exits 2."""

    def error(self, message: str) -> NoReturn:
        if re.match(r"unrecognized arguments: -[^-]", message):  # argparse took an expression such as -x for an option
            message += "; an expression starting with '-' goes after '--', as in: graphgrad draw -o f.svg -- '-x' x=1"
        _report(f"{message} (see '{self.prog} --help')")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``graphgrad`` and its commands.

    >>> build_parser().parse_args(["examples", "-o", "out"]).output
    'out'
    """
    parser = _Parser(
        prog=PROG,
        description="Draw computation graphs the way the CS231n lecture does: values in green, gradients in red.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {viz.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    draw = commands.add_parser(
        "draw",
        help="draw a formula after backward()",
        description="Parse EXPR (numbers, names, + - * / **, parentheses and exp, log, reciprocal, relu, "
        "leaky_relu, tanh, sigmoid, max(a, b)), run backward() and write the drawing.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    draw.add_argument("expression", metavar="EXPR", help='the formula, e.g. "(x + y) * z"')
    draw.add_argument(
        "assignments", metavar="NAME=VALUE", nargs="*", default=[], help="a value for each variable, e.g. x=-2"
    )
    draw.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write: .svg, .png or .dot")
    draw.add_argument("--precision", type=_precision, default=2, metavar="N", help="decimals shown (default 2)")
    draw.set_defaults(run=run_draw)

    lecture = commands.add_parser(
        "examples",
        help="write the lecture's three circuits as SVG",
        description="Write the CS231n lecture circuits, after backward(), as SVG files in DIR (created if needed).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lecture.add_argument("-o", "--output", required=True, metavar="DIR", help="the directory to write into")
    lecture.add_argument("--precision", type=_precision, default=2, metavar="N", help="decimals shown (default 2)")
    lecture.set_defaults(run=run_examples)

    demo = commands.add_parser(
        "demo",
        help="the tour: lecture circuits, the backward pass step by step, a trained network",
        description="Write the lecture circuits, the sigmoid neuron's backward pass as an HTML page you can step "
        "through, and drawings of a small MLP trained on the two-moons data, into DIR.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.add_argument("-o", "--output", default="graphgrad-demo", metavar="DIR", help="default: graphgrad-demo")
    demo.add_argument("--epochs", type=_epochs, default=40, metavar="N", help="training epochs (default 40)")
    demo.set_defaults(run=run_demo, precision=2)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 done, 2 bad input, 1 no layout program).

    >>> main(["draw", "x.real", "x=1", "-o", "never-written.svg"])
    2
    """
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (UsageError, ExpressionError) as error:
        _report(str(error))
        return 2
    except RuntimeError as error:  # the layout program is missing or failed: not the input's fault
        _report(str(error))
        return 1
    except KeyboardInterrupt:
        return 130


def run_draw(args: argparse.Namespace) -> int:
    """``graphgrad draw``: parse, run backward, write the drawing."""
    variables = parse_assignments(args.assignments)
    with warnings.catch_warnings():  # "1if x": Python would warn on stderr before the syntax error we report
        warnings.simplefilter("ignore", SyntaxWarning)
        f = parse(args.expression, variables)
    target = _output_file(args.output)
    f.backward()
    drawing = viz.draw(f, precision=args.precision)
    try:
        drawing.save(target)  # one file: Drawing.save writes it atomically (nn.files)
    except OSError as error:
        raise UsageError(_cannot_write(error)) from None
    number = lambda x: format_number(x, args.precision)  # as the drawing writes it
    leaves = {v.label: v for v in topological_order(f) if v.label in variables and not v.parents}
    grads = "".join(f"  d{f.label}/d{name} = {number(leaves[name].grad)}" for name in variables)
    print(f"{f.label} = {number(f.data)}{grads}")
    print(f"wrote {target}")
    return 0


def run_examples(args: argparse.Namespace) -> int:
    """``graphgrad examples``: write the lecture circuits into a directory, all of them or none."""
    directory = Path(args.output)
    with _output_folder(directory):
        _check_writable(directory / name for name in LECTURE_DRAWINGS)
        _write_all({directory / name: drawing for name, drawing in _lecture_drawings(args.precision).items()})
    for name, (what, _) in LECTURE_DRAWINGS.items():
        print(f"wrote {directory / name}  {what}")
    return 0


# What the demo writes besides the lecture circuits: file name -> what it shows.
DEMO_FILES = {
    "sigmoid-neuron-backward.html": "the sigmoid neuron's backward pass, one gradient per step (open in a browser)",
    "moons-model.svg": "the trained MLP as a textbook network: weights blue (+) or orange (-), thicker when larger",
    "moons-mlp.svg": "the trained MLP on one point, each neuron drawn as one box",
    "moons-neuron.svg": "its first neuron on the same point, every gate",
}


def run_demo(args: argparse.Namespace) -> int:
    """``graphgrad demo``: the lecture circuits, the backward pass step by step, and a trained MLP.

    Every output is checked before the training starts, and all are written together at the end.
    """
    require("nn")  # only the demo trains a network; an nn of another distribution is named, not run
    import nn

    directory = Path(args.output)
    with _output_folder(directory):
        _check_writable(directory / name for name in [*LECTURE_DRAWINGS, *DEMO_FILES])
        files: dict[str, viz.Drawing | viz.Steps] = dict(_lecture_drawings(args.precision))
        neuron, _ = examples.sigmoid_neuron()
        neuron.backward()
        files["sigmoid-neuron-backward.html"] = viz.backward_steps(neuron)

        # Two-moons, as in micrograd's demo: labels ±1, a linear output, the hinge (max-margin) loss.
        X, y = nn.make_moons(100, noise=0.1, seed=0)
        model = nn.MLP(2, [16, 16, 1], activation="tanh", output_activation="linear", seed=0)
        print(f"training a 2-16-16-1 MLP ({model.num_parameters()} parameters) on 100 two-moons points")
        nn.fit(model, X, 2 * y - 1, loss="hinge", epochs=args.epochs, lr=0.05, momentum=0.9, batch_size=10)
        X_new, y_new = nn.make_moons(200, noise=0.1, seed=1)
        seen, unseen = (
            nn.accuracy(model, inputs, 2 * labels - 1, loss="hinge") for inputs, labels in ((X, y), (X_new, y_new))
        )
        print(f"accuracy: {seen:.0%} on the training points, {unseen:.0%} on 200 new ones")

        files["moons-model.svg"] = viz.draw_model(model)
        point = [Value(float(X[0][0]), label="x0"), Value(float(X[0][1]), label="x1")]
        [score] = model.forward(point)  # forward: always a list (calling the model unwraps a single output)
        score.label = "score"
        score.backward()
        files["moons-mlp.svg"] = viz.draw(score)
        model.zero_grad()  # parameters are leaves: their gradients would add up across the two drawings
        point = [Value(v.data, label=v.label) for v in point]
        h = model.layers[0].forward(point)[0]  # the first neuron's output; drawing it draws only its own graph
        h.label = "h"
        h.backward()
        files["moons-neuron.svg"] = viz.draw(h, detail="full")
        _write_all({directory / name: drawing for name, drawing in files.items()})

    print("wrote:")
    for name, what in ({name: what for name, (what, _) in LECTURE_DRAWINGS.items()} | DEMO_FILES).items():
        print(f"  {directory / name}  {what}")
    return 0


def _lecture_drawings(precision: int) -> dict[str, viz.Drawing]:
    """The lecture circuits after backward(), laid out (so a failure comes before anything is written)."""
    drawings = {}
    for name, (_, build) in LECTURE_DRAWINGS.items():
        f, _ = build()
        f.backward()
        drawings[name] = viz.draw(f, precision=precision)
        _ = drawings[name].svg  # drawings render lazily: render now
    return drawings


@contextlib.contextmanager
def _output_folder(directory: Path) -> Iterator[None]:
    """Make ``directory`` (and its parents) if needed; if the command then fails, remove what it made."""
    missing = []
    try:
        for folder in [directory, *directory.parents]:
            if folder.is_dir():
                break
            missing.append(folder)
        for folder in reversed(missing):
            folder.mkdir()
    except OSError as error:
        _remove_empty(missing)
        raise UsageError(f"cannot create directory {str(directory)!r}: {_reason(error)}") from None
    try:
        yield
    except BaseException:
        _remove_empty(missing)
        raise


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:  # the deepest first
        with contextlib.suppress(OSError):
            folder.rmdir()  # only if still empty: nothing of anyone else's is removed


def _epochs(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 10_000:
        raise argparse.ArgumentTypeError(f"expected a whole number of epochs from 1 to 10000, got {text!r}")
    return int(text)


def _precision(text: str) -> int:
    try:
        digits = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of decimals (0 to {MAX_PRECISION}), got {text!r}"
        ) from None
    if not 0 <= digits <= MAX_PRECISION:
        raise argparse.ArgumentTypeError(f"expected 0 to {MAX_PRECISION} decimals, got {digits}")
    return digits


def _output_file(name: str) -> Path:
    """``name`` as a path with a known format, that can be written now."""
    path = Path(name)
    _check_writable([path])
    if path.suffix.lower() not in SAVE_FORMATS:
        problem = f"unknown format {path.suffix!r}" if path.suffix else "no suffix to tell the format"
        raise UsageError(f"cannot write {name!r}: {problem}; known: {', '.join(SAVE_FORMATS)}")
    return path


def _check_writable(paths: Iterable[Path]) -> None:
    """Before the work: each path can be written (its folder exists and lets us, no folder in its place, ...)."""
    require("nn")
    from nn.files import check_writable

    try:
        check_writable(paths)
    except OSError as error:
        raise UsageError(_cannot_write(error)) from None


def _write_all(drawings: Mapping[Path, viz.Drawing | viz.Steps]) -> None:
    """Save every drawing (SVG, or the step player's HTML), all or none: ``nn.files.write_all``."""
    require("nn")
    from nn.files import write_all

    files: dict[str | os.PathLike[str], bytes] = {
        path: (drawing.to_html() if isinstance(drawing, viz.Steps) else drawing.svg).encode("utf-8")
        for path, drawing in drawings.items()
    }
    try:
        write_all(files)
    except OSError as error:
        raise UsageError(_cannot_write(error)) from None


def _cannot_write(error: OSError) -> str:
    if error.errno is None:  # graphgrad's own message, naming the path already
        return str(error)
    return f"cannot write {error.filename!r}: {_reason(error)}"


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _report(message: str) -> None:
    """One line on stderr, whatever the message holds."""
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
