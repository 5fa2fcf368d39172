"""benchmarks/bench_engine.py still runs, and its plain-float floor computes what the engine computes.

The timings themselves are the script's business (run by hand); only memory, which does not
depend on the machine's load, is checked here against the issue's bound.
"""

from __future__ import annotations

import gc
import math
from pathlib import Path

import pytest
from conftest import load_script

from autograd import Constant, Value, topological_order

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_engine.py"


@pytest.fixture(scope="module")
def bench():
    return load_script(SCRIPT)


def test_float_floor_computes_the_same_loss_and_gradients(bench) -> None:
    build_loss, params = bench.make_mlp(Value, n_points=7)
    loss = build_loss()
    loss.backward()
    float_loss, float_grads = bench.make_float_step(n_points=7)()
    assert math.isclose(loss.data, float_loss, rel_tol=1e-12)
    assert len(float_grads) == len(params) == 337  # 2·16+16 + 16·16+16 + 16+1
    assert [p.grad for p in params] == pytest.approx(float_grads, rel=1e-9, abs=1e-15)
    assert any(g != 0.0 for g in float_grads)


def test_step_zeroes_gradients_so_repeated_steps_agree(bench) -> None:
    step = bench.make_mlp_step(Value, n_points=3)
    first = step()
    second = step()
    assert first.data == second.data
    assert [v.grad for v in topological_order(first) if not v.parents] == [
        v.grad for v in topological_order(second) if not v.parents
    ]


def test_chain_and_fan_out_workloads(bench) -> None:
    y = bench.make_chain(Value, 2_000)()  # deeper than any recursion limit allows a recursive walk
    assert len(topological_order(y)) == 5 * 2_000 + 1  # per link: two constants, *, +, tanh
    root = bench.make_fan_out(Value, 1_001)()
    (x,) = [v for v in topological_order(root) if not v.parents and type(v) is not Constant]
    assert x.grad == sum(float(i % 7 + 1) for i in range(1_001))
    assert math.isclose(root.data, 0.5 * x.grad)


def test_timing_helpers_restore_the_garbage_collector(bench) -> None:
    times = bench.time_interleaved({"graphgrad": bench.make_chain(Value, 10)}, rounds=2, gc_enabled=False)
    assert gc.isenabled() and len(times["graphgrad"]) == 2
    line = bench.row("W2", False, times)
    assert line.startswith("| W2 | off | ") and line.count("|") == 8


def test_memory_per_node_is_within_the_issue_bound(bench) -> None:
    per_node, nodes = bench.bytes_per_node(Value, n_points=10)
    assert nodes == 7_498
    assert 50 < per_node <= 350
