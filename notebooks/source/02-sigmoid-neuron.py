"""Notebook 2: the sigmoid neuron two ways (built into 02-sigmoid-neuron.ipynb by notebooks/build.py)."""

# %% [markdown]
# # 2 · The sigmoid neuron two ways
#
# A neuron computes σ(w0·x0 + w1·x1 + w2), where σ(x) = 1 / (1 + e^−x) is the sigmoid. We can let the engine
# see σ as six small gates, or as one gate that knows its own local gradient. Both must give the same
# gradients; then we check those gradients a third way, by nudging each input and watching the output.

# %%
import timeit

import nn
import viz
from autograd import Value, examples, gradcheck, no_grad

# %% [markdown]
# ## Way 1: six small gates
#
# `*`, `+`, `*-1`, `exp`, `+1`, `1/x`: every step of 1 / (1 + e^−x) is its own gate, with its own simple
# local gradient (e.g. `exp` passes on e^x, `1/x` passes on −1/x²).

# %%
f, inputs = examples.sigmoid_neuron()
f.backward()
viz.draw(f)

# %% [markdown]
# ## Way 2: one σ gate
#
# Since dσ/dx = e^−x / (1 + e^−x)² = σ(x)·(1 − σ(x)), the σ gate can compute its local gradient from its own
# output alone: here σ = 0.73, so the local gradient is 0.73 × 0.27 ≈ 0.20. Fewer gates, same chain rule.

# %%
g, inputs_g = examples.sigmoid_neuron(single_gate=True)
g.backward()
viz.draw(g, show_local=True)

# %%
dot = g.parents[0]  # w0·x0 + w1·x1 + w2, the σ gate's input
print(f"σ = {g.data:.4f}; local gradient σ(1 − σ) = {g.data * (1 - g.data):.4f}; ∂f/∂(dot) = {dot.grad:.4f}")
for name in inputs:
    print(f"{name}: six gates {inputs[name].grad:+.6f}   one σ gate {inputs_g[name].grad:+.6f}")
    assert abs(inputs[name].grad - inputs_g[name].grad) < 1e-12

# %% [markdown]
# ## Checking gradients by nudging
#
# The slow, obvious way to get a gradient: nudge one input by a tiny h = 0.0001, run the forward pass
# again, and see how much the output moved. (f(x + h) − f(x)) / h approximates ∂f/∂x. It needs no chain
# rule at all, which makes it an independent check of `backward()`.

# %%
h = 0.0001
start = {name: v.data for name, v in inputs.items()}
for name in start:
    nudged, _ = examples.sigmoid_neuron(**{**start, name: start[name] + h})
    slope = (nudged.data - f.data) / h
    print(f"{name}: nudged {slope:+.5f}   backprop {inputs[name].grad:+.5f}")

# %% [markdown]
# `autograd.gradcheck` does the same carefully: it nudges each input both ways,
# (f(x + ε) − f(x − ε)) / 2ε, which is more accurate, and raises an error naming every input whose
# gradient disagrees.

# %%
neuron = lambda w0, x0, w1, x1, w2: (w0 * x0 + w1 * x1 + w2).sigmoid()
gradcheck(neuron, [Value(v, label=name) for name, v in start.items()])

# %% [markdown]
# Finite differences can also catch where a gradient is only a convention. ReLU has a kink at 0: the
# engine says its gradient there is 0, while nudging both ways averages the slopes 0 and 1.

# %%
try:
    gradcheck(lambda a: a.relu(), [Value(0.0, label="a")])
except AssertionError as error:
    print(error)

# %% [markdown]
# ## Why not always nudge?
#
# Nudging costs one extra forward pass per input. For five inputs that is nothing, but a network has a
# gradient for every weight. The 784-16-16-10 network of notebook 5 has 13,002 of them: nudging them
# means 13,002 forward passes, where backpropagation gets all 13,002 gradients from one forward and one
# backward pass. Measured on this machine:

# %%
model = nn.MLP(784, [16, 16, 10], seed=0)
image = [0.5] * 784
with no_grad():  # a nudge needs only the forward values
    forward = min(timeit.repeat(lambda: model(image), number=1, repeat=3))  # best of 3 runs
backprop = min(timeit.repeat(lambda: nn.cross_entropy(model(image), 3).backward(), number=1, repeat=3))
n = model.num_parameters()
print(f"one forward pass: {forward * 1000:.0f} ms;  forward + backward: {backprop * 1000:.0f} ms")
print(f"nudging all {n:,} weights: {n:,} × {forward * 1000:.1f} ms ≈ {n * forward:.0f} s for one image,")
print(f"about {n * forward / backprop:,.0f} times as long as backpropagation (one forward + backward pass)")

# %% [markdown]
# So gradient checking is for tests, on small graphs; backpropagation is for training.
#
# ## Try it: sliders
#
# `viz.explore` puts a slider and a number box on each input and redraws the neuron as you change them:
# watch the gradients shrink as σ saturates near 0 or 1. Click a wire to read its chain rule, or step
# through the passes. The widget needs a live notebook; opened without a kernel it shows the drawing at
# the starting point, and so does the cell below it.

# %%
viz.explore(neuron, w0=2.0, x0=-1.0, w1=-3.0, x1=-2.0, w2=-3.0)

# %%
f_single, _ = examples.sigmoid_neuron(single_gate=True)
f_single.backward()
viz.draw(f_single)
