"""Notebook 7: from scalars to vectors (built into 07-from-scalars-to-vectors.ipynb by notebooks/build.py)."""

# %% [markdown]
# # 7 · From scalars to vectors
#
# The lecture's second half leaves single numbers behind. A layer multiplies a weight *matrix* by an input
# *vector*, a ReLU acts on a whole vector at once, and a loss turns a vector of scores into one number. The
# chain rule does not change — it is the same upstream × local at every scalar gate — but the picture, the
# bookkeeping and the cost do. This notebook takes the lecture's vector example apart number by number,
# looks at a Jacobian, packages gates of our own, and ends with the lecture's opening figure: a linear
# classifier, drawn and trained.

# %%
import math
import os
import time

import matplotlib.pyplot as plt
import numpy as np

import nn
import viz
from autograd import Value, gate, gradcheck, jacobian, labelled, matrix, maximum, scope, topological_order, vector

FAST = os.environ.get("GRAPHGRAD_FAST") == "1"  # the tests set this to keep the training short

# %% [markdown]
# ## The lecture's example: f(x, W) = ‖W·x‖²
#
# `matrix` and `vector` make leaves labelled the way the lecture writes them (`W[0,1]`, `x[0]`); `labelled`
# names values we compute (`q[0]`, `q[1]`). Then q = W·x and f = q₀² + q₁², one scalar operation at a time.

# %%
W = matrix([[0.1, 0.5], [-0.3, 0.8]], "W")
x = vector([0.2, 0.4], "x")
q = labelled([W[i][0] * x[0] + W[i][1] * x[1] for i in range(2)], "q")
f = q[0] * q[0] + q[1] * q[1]
f.label = "f"
f.backward()

print("q     =", [round(v.data, 3) for v in q], "  f =", round(f.data, 3))
print("∂f/∂q =", [round(v.grad, 3) for v in q])
print("∂f/∂W =", [[round(w.grad, 3) for w in row] for row in W])
print("∂f/∂x =", [round(v.grad, 3) for v in x])

# %% [markdown]
# These are the lecture's numbers. Its formulas say the same: ∂f/∂q = 2q, ∂f/∂W = 2q·xᵀ (an outer product,
# the shape of W) and ∂f/∂x = 2Wᵀ·q (the shape of x). **The gradient with respect to a variable always has
# the variable's shape** — a useful check whenever you derive one by hand.

# %%
two_q = [2 * v.data for v in q]
outer = [[two_q[i] * x[j].data for j in range(2)] for i in range(2)]
transposed = [sum(W[i][j].data * two_q[i] for i in range(2)) for j in range(2)]
print("2q·xᵀ =", [[round(g, 3) for g in row] for row in outer])
print("2Wᵀ·q =", [round(g, 3) for g in transposed])
assert all(abs(W[i][j].grad - outer[i][j]) < 1e-12 for i in range(2) for j in range(2))
assert all(abs(x[j].grad - transposed[j]) < 1e-12 for j in range(2))

# %% [markdown]
# ### Drawn as scalars…
#
# The engine only ever sees scalars. Drawn the way the scalar lectures draw, every number is its own wire:
# six inputs, four products, two sums, two squares and the final sum.

# %%
viz.draw(f, precision=3)

# %% [markdown]
# ### …and as vectors
#
# `detail="vectors"` draws each labelled vector as one wire carrying the whole vector — values in green
# above, the gradient (the same shape) in red below — and the scalar gates between them as one vector gate:
# `W·x` and `‖·‖²`. The matrix W travels as a small grid. Same graph, same numbers, four wires.

# %%
viz.draw(f, detail="vectors", precision=3)

# %% [markdown]
# ## The Jacobian of an elementwise max
#
# h = max(0, x), element by element. Its Jacobian ∂h/∂x has one row per output and one column per input.
# Each hᵢ depends on xᵢ alone, so everything off the diagonal is 0; on the diagonal sits the max gate's
# router: 1 where xᵢ > 0, else 0.

# %%
x6 = vector([0.5, -1.2, 2.0, -0.3, 0.8, -2.5], "x")
h6 = labelled([maximum(xi, 0) for xi in x6], "h")
viz.draw_jacobian(jacobian(h6, x6), rows=h6, cols=x6)

# %% [markdown]
# ### Why nobody builds it: 4,096 elements
#
# The lecture's example is a 4,096-element vector. Its Jacobian would be 4,096 × 4,096 — almost 17 million
# numbers, all but 4,096 of them zero. Backpropagation never builds it: each max gate multiplies its upstream
# gradient by its own local 1 or 0, which is exactly the diagonal applied element by element. Counting the
# scalar nodes the engine records makes the cost concrete.

# %%
n = 4096
big_x = vector([math.sin(3.7 * i) for i in range(n)], "x")
big_h = labelled([maximum(xi, 0) for xi in big_x], "h")
big_f = sum(hi * hi for hi in big_h)
big_f.label = "f"
nodes = topological_order(big_f)
maxes = sum(v.op == "max" for v in nodes)
start = time.perf_counter()
big_f.backward()
seconds = time.perf_counter() - start
print(f"scalar nodes in the graph: {len(nodes):,} ({maxes:,} of them max gates)")
print(f"Jacobian ∂h/∂x: {n * n:,} entries, {n:,} of them on the diagonal")
print(f"one backward pass through all of it: {seconds * 1000:.0f} ms, one multiplication per max gate")
print(f"building ∂h/∂x row by row would take {n:,} backward passes")

# %% [markdown]
# The vector drawing stays small however long the vectors are: a long vector shows its ends and its size.

# %%
viz.draw(big_f, detail="vectors")

# %% [markdown]
# ## Gates of your own
#
# The lecture packages every gate the same way: a forward function, and the local gradient of its output
# with respect to each input. `autograd.gate(symbol, forward, local)` does exactly that. The lecture's first
# example is the sigmoid gate, whose local gradient σ(1 − σ) is written through its own output.

# %%
sigmoid_gate = gate("σ", lambda z: 1 / (1 + math.exp(-z)), lambda out, z: (out * (1 - out),))

w0, x0, w1, x1, w2 = (Value(v, label=name) for v, name in zip([2.0, -1.0, -3.0, -2.0, -3.0], ["w0", "x0", "w1", "x1", "w2"]))
neuron = sigmoid_gate(w0 * x0 + w1 * x1 + w2)
neuron.label = "f"
neuron.backward()
print({v.label: round(v.grad, 2) for v in (w0, x0, w1, x1, w2)})
viz.draw(neuron, show_local=True)

# %% [markdown]
# The same gradients as the lecture's six-gate circuit (notebook 2). `gradcheck` checks a gate of your own
# exactly as it checks a built-in one, by nudging each input:

# %%
gradcheck(lambda a, b: sigmoid_gate(a * b), [Value(0.7, label="a"), Value(-1.5, label="b")])

# %% [markdown]
# ### A gate we invent: the smooth max
#
# The max gate *routes* its gradient: all of it to the larger input, none to the other. A smooth max,
# log(eᵃ + eᵇ), *shares* it instead: its local gradients eᵃ⁻ᵒᵘᵗ and eᵇ⁻ᵒᵘᵗ are positive and add up to 1.
# Written with `**` (which works on numbers and on Values alike), its local gradient can even be
# differentiated again (`autograd.grad(..., create_graph=True)`).

# %%
smooth_max = gate(
    "smax",
    lambda a, b: max(a, b) + math.log1p(math.exp(-abs(a - b))),
    lambda out, a, b: (math.e ** (a - out), math.e ** (b - out)),
)
z, w = Value(2.0, label="z"), Value(1.0, label="w")
routed = 2 * z.max(w)
shared = 2 * smooth_max(z, w)
routed.label, shared.label = "max", "smooth max"
routed.backward()
print(f"max:        ∂/∂z = {z.grad:.2f}, ∂/∂w = {w.grad:.2f}")
z.grad = w.grad = 0.0
shared.backward()
print(f"smooth max: ∂/∂z = {z.grad:.2f}, ∂/∂w = {w.grad:.2f}")
gradcheck(lambda a, b: smooth_max(a, b) * a, [Value(0.3, label="a"), Value(-0.4, label="b")])
viz.draw(shared)

# %% [markdown]
# A gate that returns the wrong number of local gradients is stopped at once, with a message that names it:

# %%
broken = gate("smax?", lambda a, b: max(a, b), lambda out, a, b: (1.0,))
try:
    broken(z, w)
except TypeError as error:
    print(error)

# %% [markdown]
# A gate works in `nn` like a built-in activation, and is drawn with its symbol:

# %%
layer = nn.Layer(2, 3, activation=sigmoid_gate, seed=0)
print(layer, [v.op for v in layer([1.0, -1.0])])

# %% [markdown]
# ## The lecture's opening figure: a linear classifier
#
# The lecture opens with this graph: inputs x and weights W → `*` → scores s → hinge loss, plus a
# regularization R(W) → the loss L. Here on a toy problem: 2-D points in three classes. A 1 appended to each
# point carries the bias (the lecture's "bias trick"), so W is 3 × 3 and s = W·x.
#
# The multiclass SVM (hinge) loss of one sample with class y is Σⱼ≠ᵧ max(0, sⱼ − sᵧ + 1): every other class
# should score at least 1 below the right one. R(W) = λ·Σ W² keeps the weights small. `autograd.scope` names
# the two groups of scalar operations, so the vector drawing shows them as the gates `hinge` and `R`.

# %%
rng = np.random.default_rng(0)
centers = np.array([[0.0, 1.5], [-1.4, -0.8], [1.4, -0.8]])
points = np.concatenate([c + 0.7 * rng.standard_normal((20, 2)) for c in centers])
classes = np.repeat([0, 1, 2], 20)

W = matrix(0.1 * rng.standard_normal((3, 3)), "W")
LAMBDA = 0.05


def scores(point):
    """s = W·x for one point, x being the point with the bias trick's 1 appended."""
    xs = vector([*point, 1.0], "x")
    return labelled([sum(wij * xj for wij, xj in zip(row, xs)) for row in W], "s")


def hinge(s, y):
    """Σⱼ≠ᵧ max(0, sⱼ − sᵧ + 1) for one sample, as scalar operations under the scope "hinge"."""
    with scope("hinge"):
        return sum(maximum(0, s[j] - s[y] + 1) for j in range(len(s)) if j != y)


def regularization():
    """λ·Σ W², under the scope "R"."""
    with scope("R"):
        return LAMBDA * sum(w * w for row in W for w in row)


data, R = hinge(scores(points[0]), classes[0]), regularization()
data.label, R.label = "data loss", "R(W)"
L = data + R
L.label = "L"
L.backward()
viz.draw(L, detail="vectors")

# %% [markdown]
# Training takes a few steps of gradient descent on the mean loss over all 60 points (three overlapping blobs). Each step builds the
# whole graph again (60 samples of the figure above, sharing W), runs `backward()` and moves W against its
# gradient with `nn.SGD`.

# %%
parameters = [w for row in W for w in row]
optimizer = nn.SGD(parameters, lr=0.1)


def accuracy():
    """The share of points whose highest score is their class's."""
    weights = np.array([[w.data for w in row] for row in W])
    return float(np.mean(np.argmax(np.c_[points, np.ones(len(points))] @ weights.T, axis=1) == classes))


for step in range(5 if FAST else 20):
    loss = sum(hinge(scores(p), y) for p, y in zip(points, classes)) / len(points) + regularization()
    if FAST or step % 4 == 0:
        print(f"step {step:2d}: loss {loss.data:.3f}, accuracy {accuracy():.0%}")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"after {step + 1} steps: accuracy {accuracy():.0%}")

# %% [markdown]
# Each row of W is a linear score; the class with the highest score wins, so the plane is cut into three
# regions by straight lines.

# %%
grid_x, grid_y = np.meshgrid(np.linspace(-3, 3, 200), np.linspace(-3, 3.2, 200))
weights = np.array([[w.data for w in row] for row in W])
regions = np.argmax(weights @ np.stack([grid_x.ravel(), grid_y.ravel(), np.ones(grid_x.size)]), axis=0)
fig, ax = plt.subplots(figsize=(4.5, 4.5))
ax.contourf(grid_x, grid_y, regions.reshape(grid_x.shape), levels=[-0.5, 0.5, 1.5, 2.5], alpha=0.25, cmap="brg")
ax.scatter(points[:, 0], points[:, 1], c=classes, cmap="brg", edgecolors="k", s=30)
ax.set_title(f"linear classifier after training: {accuracy():.0%} correct")
ax.set_aspect("equal")
plt.show()

# %% [markdown]
# ## What to take away
#
# - The engine works on scalars; vectors are a way of *looking*: label them (`vector`, `matrix`,
#   `labelled`) and `viz.draw(..., detail="vectors")` draws one wire per vector and one gate per vector
#   operation.
# - The gradient with respect to a variable has that variable's shape: ∂f/∂W is a matrix like W.
# - An elementwise operation has a diagonal Jacobian; backpropagation applies it element by element and never
#   builds the matrix.
# - A gate is a forward function plus its local gradients; `autograd.gate` makes one that records, draws,
#   gradchecks and trains like a built-in.
