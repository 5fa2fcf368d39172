"""Notebook 1: backpropagation by hand (built into 01-backprop-by-hand.ipynb by notebooks/build.py)."""

# %% [markdown]
# # 1 · Backpropagation by hand
#
# Every number the engine computes remembers how it was made. Calling `backward()` walks that record
# from the output back to the inputs and applies the chain rule at each gate:
#
# > **downstream gradient = upstream gradient × local gradient**
#
# The *upstream* gradient is ∂f/∂(gate's output), arriving from the right. The *local* gradient is
# ∂(gate's output)/∂(gate's input), which the gate knows on its own. Their product is the *downstream*
# gradient, ∂f/∂(gate's input), which flows on to the left.
#
# The drawings follow the lecture: forward values in **green** above each wire, gradients in **red** below it.
# In the widget `viz.explore` shows (at the end), or a drawing saved with `viz.save(f, "f.svg")` and opened
# in a browser, hover over any wire, gate or arrow to read how its gradient was made, with the numbers.

# %%
from IPython.display import display

import viz
from autograd import Value, examples

# %% [markdown]
# ## Example 1: f = (x + y)·z
#
# The lecture's first circuit, at x = −2, y = 5, z = −4. Before `backward()` only the forward pass is
# there: green values, no gradients yet.

# %%
f, inputs = examples.add_mul()
x, y, z = inputs["x"], inputs["y"], inputs["z"]
viz.draw(f)

# %% [markdown]
# Now run the backward pass. The output's own gradient is ∂f/∂f = 1; every other red number is
# upstream × local.

# %%
f.backward()
viz.draw(f)

# %% [markdown]
# Check each number against the lecture: ∂f/∂z = q = 3 (the `*` gate swaps its inputs), ∂f/∂q = z = −4,
# and the `+` gate hands that −4 to both x and y.

# %%
q = f.parents[0]
print(f"f = {f.data}, q = {q.data}")
print(f"∂f/∂q = {q.grad}, ∂f/∂x = {x.grad}, ∂f/∂y = {y.grad}, ∂f/∂z = {z.grad}")
assert f.data == -12.0 and q.grad == -4.0
assert (x.grad, y.grad, z.grad) == (-4.0, -4.0, 3.0)

# %% [markdown]
# `show_local=True` writes each gate's local gradient (×local) at the arrow head, so you can read the
# multiplication off the picture: at z, upstream 1.00 × local 3.00 = 3.00.

# %%
viz.draw(f, show_local=True)

# %% [markdown]
# ## Example 2: the sigmoid neuron
#
# f = 1 / (1 + e^−(w0·x0 + w1·x1 + w2)), built from the gates `*`, `+`, `*-1`, `exp`, `+1` and `1/x`.
# The constants −1 and 1 are folded into their gates, as the lecture draws them.

# %%
f, inputs = examples.sigmoid_neuron()
f.backward()
viz.draw(f)

# %% [markdown]
# The lecture's numbers, to two decimals: f ≈ 0.73; w0 ≈ −0.20, x0 ≈ 0.39, w1 ≈ −0.39, x1 ≈ −0.59, w2 ≈ 0.20.

# %%
grads = {name: round(v.grad, 2) for name, v in inputs.items()}
print(f"f = {f.data:.2f}", grads)
assert round(f.data, 2) == 0.73
assert grads == {"w0": -0.2, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.2}

# %% [markdown]
# ## Example 3: the max gate
#
# f = 2·(x·y + max(z, w)) at x = 3, y = −4, z = 2, w = −1.

# %%
f, inputs = examples.max_gate()
f.backward()
viz.draw(f)

# %%
grads = {name: v.grad for name, v in inputs.items()}
print(f"f = {f.data}", grads)
assert f.data == -20.0
assert grads == {"x": -8.0, "y": 6.0, "z": 2.0, "w": 0.0}

# %% [markdown]
# ## The four gate patterns
#
# Once you know the local gradients, each gate does one simple thing to the upstream gradient.
# Each tiny graph below multiplies by a constant at the end so the upstream gradient is not just 1.
#
# **The add gate distributes**: its local gradient is 1 for each input, so both inputs get the
# upstream gradient unchanged.

# %%
a, b = Value(2.0, label="a"), Value(-3.0, label="b")
f = (a + b) * -2
f.backward()
print(f"upstream −2 → ∂f/∂a = {a.grad}, ∂f/∂b = {b.grad}")
viz.draw(f, show_local=True)

# %% [markdown]
# **The mul gate swaps**: the local gradient for one input is the *other* input's value, so a's
# gradient is upstream × b and b's is upstream × a.

# %%
a, b = Value(2.0, label="a"), Value(-3.0, label="b")
f = (a * b) * 2
f.backward()
print(f"∂f/∂a = 2 × b = {a.grad}, ∂f/∂b = 2 × a = {b.grad}")
viz.draw(f, show_local=True)

# %% [markdown]
# **The max gate routes**: the whole upstream gradient goes to the larger input; the other gets 0.

# %%
a, b = Value(2.0, label="a"), Value(-3.0, label="b")
f = a.max(b) * 2
f.backward()
print(f"∂f/∂a = {a.grad} (the larger), ∂f/∂b = {b.grad}")
viz.draw(f, show_local=True)

# %% [markdown]
# **A fan-out wire adds**: when a value feeds several gates, it gets one gradient back from each, and
# they sum. Here a is used twice, in a·b and in + a, so ∂f/∂a = b + 1. Each branch shows in red the
# gradient it carries back (−3.00 through the `*`, 1.00 through the `+`); the wire shows their sum.

# %%
a, b = Value(2.0, label="a"), Value(-3.0, label="b")
f = a * b + a
f.backward()
print(f"∂f/∂a = b + 1 = {a.grad}, ∂f/∂b = a = {b.grad}")
assert a.grad == b.data + 1
viz.draw(f, show_local=True)

# %% [markdown]
# ## The backward pass, step by step
#
# `viz.backward_steps(f)` replays the backward pass one red number at a time, right to left, as the
# lecture reveals it slide by slide. In Jupyter it is a player: use the slider or the buttons.
# (In a static view of this notebook, such as GitHub's or one opened before its cells are re-run, the
# player shows the finished drawing instead; a few frames follow.)

# %%
f, inputs = examples.add_mul()
f.backward()
steps = viz.backward_steps(f)
display(steps)

# %% [markdown]
# Each frame has a caption saying how its gradient was made; `steps.frame(k)` shows frame k, and
# `steps[k]` is its SVG text:

# %%
for k in (1, 3, len(steps) - 1):
    print(steps.captions[k])
    display(steps.frame(k))

# %% [markdown]
# `viz.save_frames(f, "frames")` writes every frame as `step-00.svg`, `step-01.svg`, … for slides.
#
# ## Explore it yourself
#
# `viz.explore(f)` shows the same drawing in a widget (in a live notebook: JupyterLab, Notebook 7 or
# VS Code). Click any wire, gate or arrow to read its chain rule; press "forward pass" and then ▶ to step
# through the forward pass one gate at a time and then the backward pass one gradient at a time, each step
# in the lecture's words: upstream × local = downstream. Opened without a kernel, it shows the drawing.

# %%
viz.explore(f)

# %% [markdown]
# Give `viz.explore` a function and starting values instead, and each input gets a slider and a number
# box: change one and every value and gradient is recomputed.

# %%
viz.explore(lambda x, y, z: (x + y) * z, x=-2.0, y=5.0, z=-4.0)

# %% [markdown]
# Next: notebook 2 looks at the sigmoid neuron two ways and checks its gradients numerically.
