"""Random expression graphs — every operation, shared subexpressions — against
PyTorch float64 and against finite differences (``gradcheck``)."""

from __future__ import annotations

import math

from _oracle import EVERY_OP, Program, TorchBackend, ValueBackend, programs, run
from hypothesis import example, given, note

from autograd import Value, gradcheck


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
