"""Random expression graphs — every operation, shared subexpressions — against
PyTorch float64 and against finite differences (``gradcheck``)."""

from __future__ import annotations

import math

from _oracle import Program, Step, TorchBackend, ValueBackend, programs, run
from hypothesis import example, given, note

from autograd import Value, gradcheck

# Every operation once, with fan-out: n2 = n0 * n0 (a * a), and n2 and n1 used again.
EVERY_OP = Program(
    (0.7, -1.3),
    (
        Step("mul", (0, 0)),
        Step("add", (2, 1)),
        Step("pow", (3,), 1.5),
        Step("exp", (2,)),
        Step("log", (4,)),
        Step("reciprocal", (5,)),
        Step("max", (1, 3)),
        Step("relu", (7,)),
        Step("leaky_relu", (1,), 0.1),
        Step("tanh", (9,)),
        Step("sigmoid", (10,)),
        Step("abs", (1,)),
        Step("pow_value", (11, 12)),
    ),
)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def test_every_op_program_uses_every_op() -> None:
    from autograd import OPS

    assert {step.op for step in EVERY_OP.steps} == set(OPS)


@given(programs())
@example(EVERY_OP)
def test_random_graph_matches_torch(program: Program) -> None:
    note(str(program))
    ours, our_pool = run(program, ValueBackend)
    theirs, their_pool = run(program, TorchBackend)
    for t in their_pool[len(program.inputs) :]:
        t.retain_grad()  # so every intermediate gradient can be compared, not only the inputs'
    ours.backward()
    theirs.backward()
    assert close(ours.data, theirs.item()), (ours.data, theirs.item())
    for i, (v, t) in enumerate(zip(our_pool, their_pool, strict=True)):
        assert close(v.data, t.item()), f"n{i}: value {v.data} vs torch {t.item()}"
        assert close(v.grad, t.grad.item()), f"n{i}: grad {v.grad} vs torch {t.grad.item()}"


@given(programs())
@example(EVERY_OP)
def test_random_graph_passes_gradcheck(program: Program) -> None:
    note(str(program))
    inputs = [Value(x, label=f"n{i}") for i, x in enumerate(program.inputs)]
    assert gradcheck(lambda *xs: run(program, ValueBackend, xs)[0], inputs)
