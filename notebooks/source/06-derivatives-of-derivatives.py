"""Notebook 6: derivatives of derivatives (built into 06-derivatives-of-derivatives.ipynb by notebooks/build.py)."""

# %% [markdown]
# # 6 · Derivatives of derivatives
#
# `backward()` leaves each gradient in `.grad` as a number. `autograd.grad(f, [x, y], create_graph=True)`
# runs the very same chain rule — upstream × local at every gate, summed where a value is used twice — but
# records each multiplication and addition as it goes. The gradients it returns are **Values**: their graph
# *is* the backward pass, built from the same `+`, `*` and other gates as any forward pass. So we can draw
# it, and we can differentiate it again: a second derivative, a third, a Hessian, Newton's method.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

import viz
from autograd import Value, examples, gate, grad, hessian, hvp, no_grad, topological_order

# %% [markdown]
# ## The backward pass of f = (x + y)·z, as a graph
#
# First the numbers, as `backward()` would leave them in `.grad` (but `grad` changes no `.grad`):

# %%
f, inputs = examples.add_mul()
x, y, z = inputs["x"], inputs["y"], inputs["z"]
grad(f, [x, y, z])

# %% [markdown]
# Now with `create_graph=True`. `viz.draw_backward` draws the forward graph at the left and, at its right,
# the graph of each gradient. The backward pass starts from the seed ∂f/∂f; to see every gate it passes
# through, we give that seed a name, `g` (its value is 1, as `backward()` uses):

# %%
g = Value(1.0, label="g")
viz.draw_backward(f, [x, y, z], grad_output=g)

# %% [markdown]
# Read the backward graphs gate by gate, from f back to the inputs:
#
# - **The `*` gate** (f = q·z) has local gradients z (for q) and q (for z): the *swap multiplier*. Its
#   backward is **two `*` gates**: g·z goes to q, and g·q goes to z. That is the second panel's gate and
#   the third panel's gate.
# - **The `+` gate** (q = x + y) has local gradients 1 and 1: the *gradient distributor*. Multiplying by 1
#   changes nothing, so its backward is **no gate at all**: g·z reaches x and y unchanged. That is why
#   ∂f/∂x and ∂f/∂y are one and the same node, sharing a panel.
# - The backward pass **reads the forward pass**: the swap multiplier needs q and z, so the third panel
#   holds x + y = q, the very node of the forward graph.
#
# With the seed left at the number 1, `× 1` folds away and the gradients are nodes the forward pass already
# made: ∂f/∂x = ∂f/∂y = z, and ∂f/∂z = q. The backward pass of this circuit needs no new gate at all.

# %%
viz.draw_backward(f, [x, y, z])

# %% [markdown]
# A gradient that is a Value behaves like any other. `backward()` on it fills `.grad` with the
# derivatives *of the gradient*: second derivatives. For f = (x + y)·z, ∂f/∂z = x + y, so
# ∂²f/∂z∂x = ∂²f/∂z∂y = 1 and ∂²f/∂z² = 0:

# %%
dfdx, dfdy, dfdz = grad(f, [x, y, z], create_graph=True)
dfdz.backward()
print(f"∂f/∂z = {dfdz.data}; its gradient: x.grad = {x.grad}, y.grad = {y.grad}, z.grad = {z.grad}")

# %% [markdown]
# ## d²/dx² of tanh and σ, against the closed forms
#
# The op table says tanh' = 1 − tanh² and σ' = σ(1 − σ). Differentiating those again by hand:
#
# - tanh'' = −2·tanh·(1 − tanh²)
# - σ'' = σ(1 − σ)(1 − 2σ)
#
# The engine never sees these formulas. It records tanh' as the gates `*`, `*-1`, `+1` on the tanh node,
# and differentiates that graph like any other. Here are the function, its first and its second
# derivative, each a graph (stacked: `columns=1`):

# %%
x = Value(0.5, label="x")
t = x.tanh()
t.label = "t"
(dt,) = grad(t, [x], create_graph=True)
(ddt,) = grad(dt, [x], create_graph=True)
viz.side_by_side([t, dt, ddt], titles=["tanh(x)", "d tanh/dx = 1 − t²", "d² tanh/dx²"], columns=1)

# %% [markdown]
# The second derivative's graph is (t·(−2))·(1 − t²): the closed form, found by the chain rule alone. Over a
# range of x, the engine's derivatives (lines) against the closed forms (dots):

# %%
xs = np.linspace(-4, 4, 81)
curves = {"tanh": ([], []), "sigmoid": ([], [])}
worst = 0.0
for x0 in xs:
    for name, closed_form in [
        ("tanh", lambda s: -2 * s * (1 - s * s)),
        ("sigmoid", lambda s: s * (1 - s) * (1 - 2 * s)),
    ]:
        v = Value(float(x0))
        out = getattr(v, name)()
        (first,) = grad(out, [v], create_graph=True)
        (second,) = grad(first, [v])
        curves[name][0].append(second)
        curves[name][1].append(closed_form(out.data))
        worst = max(worst, abs(second - closed_form(out.data)))
fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
for ax, (name, (engine, closed)) in zip(axes, curves.items()):
    ax.plot(xs, engine, label="grad(grad(...))")
    ax.plot(xs[::4], closed[::4], "o", markersize=4, label="closed form")
    ax.set(title=f"d²/dx² {name}(x)", xlabel="x")
    ax.axhline(0, color="grey", linewidth=0.5)
    ax.grid(alpha=0.3)
    ax.legend()
plt.tight_layout()
plt.show()
print(f"largest difference between the engine and the closed forms: {worst:.1e}")

# %% [markdown]
# ## Newton's method: a step sized by the curvature
#
# Gradient descent steps against the slope, x ← x − lr·f'(x), with a learning rate chosen by hand: small
# enough to be safe where the function curves most, and therefore too small where it curves little. Newton's
# method uses the second derivative to size each step: x ← x − f'(x)/f''(x), the minimum of the parabola
# that matches f's value, slope and curvature at x.
#
# On f(x) = x² + eˣ, from x = 2, until |f'(x)| < 10⁻¹⁰:

# %%
loss_1d = lambda v: v * v + v.exp()
tolerance = 1e-10

x_now, newton_path = 2.0, [2.0]
while True:
    v = Value(x_now)
    (slope,) = grad(loss_1d(v), [v], create_graph=True)
    if abs(slope.data) < tolerance:
        break
    (curvature,) = grad(slope, [v])
    x_now -= slope.data / curvature
    newton_path.append(x_now)

lr = 0.1  # f'' = 2 + eˣ is 9.4 at the start: a step of lr·f'' under 2 keeps descent stable there
x_now, descent_path = 2.0, [2.0]
while True:
    v = Value(x_now)
    (slope,) = grad(loss_1d(v), [v])
    if abs(slope) < tolerance:
        break
    x_now -= lr * slope
    descent_path.append(x_now)

newton_steps, descent_steps = len(newton_path) - 1, len(descent_path) - 1
print(f"Newton's method:  {newton_steps} steps to x = {newton_path[-1]:.10f}")
print(f"gradient descent: {descent_steps} steps to x = {descent_path[-1]:.10f} (learning rate {lr})")

# %%
grid = np.linspace(-1.2, 2.2, 200)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
left.plot(grid, grid**2 + np.exp(grid), color="black", linewidth=1)
heights = lambda path: [p**2 + np.exp(p) for p in path]
left.plot(descent_path, heights(descent_path), ".-", color="tab:blue", alpha=0.6, label="gradient descent")
left.plot(newton_path, heights(newton_path), "o-", color="tab:red", label="Newton")
for k, (p, height) in enumerate(zip(newton_path[:3], heights(newton_path))):
    left.annotate(str(k), (p, height), textcoords="offset points", xytext=(6, 4), color="tab:red")
left.set(title="f(x) = x² + eˣ and the steps taken", xlabel="x", ylabel="f(x)")
left.legend()
for path, style, label in [(descent_path, ".-", "gradient descent"), (newton_path, "o-", "Newton")]:
    steps = [(k, abs(p - newton_path[-1])) for k, p in enumerate(path) if p != newton_path[-1]]  # 0 has no log
    right.semilogy(*zip(*steps), style, label=label)
right.set(title="distance to the minimum x*, by step", xlabel="step", ylabel="|x − x*|")
right.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# Near the minimum Newton's error is roughly squared at every step (quadratic convergence: the number of
# correct digits doubles), while gradient descent's shrinks by the same factor every step,
# |1 − lr·f''(x*)| ≈ 0.73 here (a straight line on the log scale).
#
# ## The Hessian of a two-parameter loss, and its curvature
#
# With several parameters the second derivative is a matrix, the **Hessian** H[i][j] = ∂²L/∂pᵢ∂pⱼ:
# `autograd.hessian` differentiates each entry of the recorded gradient again. Newton's step solves H·d = −∇L.
#
# The loss: logistic regression with one feature x, a weight w and a bias b, on eight points, with a little
# weight decay: L(w, b) = mean over the points of [log(1 + e^z) − y·z], z = w·x + b, plus 0.01·(w² + b²).

# %%
points = [(0.5, 0), (1.0, 0), (1.5, 1), (2.0, 0), (2.5, 1), (3.0, 1), (3.5, 0), (4.0, 1)]


def loss_2d(w, b):
    total = 0.0
    for x_i, y_i in points:
        z = w * x_i + b
        total = total + (1 + z.exp()).log() - y_i * z
    return total * (1 / len(points)) + 0.01 * (w * w + b * b)


w, b = Value(-1.0, label="w"), Value(3.0, label="b")
H = hessian(loss_2d(w, b), [w, b])
print("Hessian at (w, b) = (−1, 3):", np.round(H, 4).tolist())
print("Hessian times (1, 0), without building it:", np.round(hvp(loss_2d(w, b), [w, b], [1.0, 0.0]), 4).tolist())

# %%
start = np.array([-1.0, 3.0])
tolerance_2d = 1e-8


def gradient_and_hessian(p):
    w, b = Value(p[0]), Value(p[1])
    loss = loss_2d(w, b)
    return np.array(grad(loss, [w, b])), np.array(hessian(loss, [w, b]))


newton_2d = [start]
while np.abs(gradient_and_hessian(newton_2d[-1])[0]).max() >= tolerance_2d:
    slope_2d, H_2d = gradient_and_hessian(newton_2d[-1])
    newton_2d.append(newton_2d[-1] - np.linalg.solve(H_2d, slope_2d))

lr_2d = 1.0  # the largest curvature is about 1.6: a learning rate above 2/1.6 = 1.25 would diverge
descent_2d = [start]
while True:
    w, b = Value(descent_2d[-1][0]), Value(descent_2d[-1][1])
    slope_2d = np.array(grad(loss_2d(w, b), [w, b]))
    if np.abs(slope_2d).max() < tolerance_2d:
        break
    descent_2d.append(descent_2d[-1] - lr_2d * slope_2d)

minimum = newton_2d[-1]
_, H_min = gradient_and_hessian(minimum)
curvatures, directions = np.linalg.eigh(H_min)
print(f"Newton's method:  {len(newton_2d) - 1} steps to (w, b) = ({minimum[0]:.6f}, {minimum[1]:.6f})")
print(f"gradient descent: {len(descent_2d) - 1} steps (learning rate {lr_2d})")
print(f"curvatures at the minimum (eigenvalues of H): {curvatures[0]:.3f} and {curvatures[1]:.3f}")

# %% [markdown]
# The curvature picture: the loss's contour lines, the Hessian's two eigen-directions at the minimum (the
# long arrow is the flat direction, curvature 0.06; the short one the steep direction, 1.6: drawn as
# 1/√curvature, the shape of the contour ellipses), and both methods' paths from the same start.

# %%
ws, bs = np.linspace(-1.5, 2.0, 60), np.linspace(-3.5, 3.5, 60)
with no_grad():  # only the values are needed
    surface = np.array([[loss_2d(Value(w0), Value(b0)).data for w0 in ws] for b0 in bs])
fig, ax = plt.subplots(figsize=(7, 5))
contours = ax.contour(ws, bs, surface, levels=np.quantile(surface, np.linspace(0.01, 0.9, 14)), cmap="viridis")
ax.clabel(contours, fontsize=7, fmt="%.2f")
descent_xy = np.array(descent_2d)
ax.plot(descent_xy[:, 0], descent_xy[:, 1], ".-", color="tab:blue", markersize=3, linewidth=0.8,
        label=f"gradient descent: {len(descent_2d) - 1} steps")  # fmt: skip
newton_xy = np.array(newton_2d)
ax.plot(newton_xy[:, 0], newton_xy[:, 1], "o-", color="tab:red", label=f"Newton: {len(newton_2d) - 1} steps")
for k, (w0, b0) in enumerate(newton_xy[:3]):
    ax.annotate(str(k), (w0, b0), textcoords="offset points", xytext=(6, 4), color="tab:red")
for curvature, direction in zip(curvatures, directions.T):
    arrow = direction * 0.2 / np.sqrt(curvature)
    ax.annotate("", minimum + arrow, minimum - arrow, arrowprops={"arrowstyle": "<->", "color": "0.4", "lw": 0.8})
ax.set(title="L(w, b): contours, curvature directions, and the steps taken", xlabel="w", ylabel="b")
ax.legend(loc="upper right")
plt.tight_layout()
plt.show()

# %% [markdown]
# Gradient descent first drops down the steep direction, then crawls along the flat valley: with a learning
# rate safe for the steep direction, each step shrinks the error along the flat one by only
# 1 − lr·0.06 ≈ 0.94. Newton's step divides by the curvature in each direction at once, so it crosses the
# valley in a few steps. The price: a Hessian per step — n² entries for n parameters, which is why
# networks with millions of weights use Hessian-vector products (`hvp`) or first-order methods instead.
#
# ## Your own gates, differentiated twice
#
# A gate made with `autograd.gate` gets second derivatives too, when its local derivative is written with
# arithmetic that works on Values: softplus(x) = log(1 + eˣ) has derivative σ(x) = 1 − e^(−softplus(x)),
# which we can write with `out` and `**` alone. Its second derivative must then be σ(x)(1 − σ(x)):

# %%
softplus = gate("softplus", lambda v: float(np.log1p(np.exp(v))), lambda out, v: (1 - np.e ** (-out),))
x = Value(0.5, label="x")
(first,) = grad(softplus(x), [x], create_graph=True)
(second,) = grad(first, [x])
sigma = 1 / (1 + np.exp(-0.5))
print(f"softplus'' (engine) = {second:.12f};  σ(1 − σ) = {sigma * (1 - sigma):.12f}")

# %% [markdown]
# A local derivative written with `math` functions (`math.cos(x)`) turns the Value into a plain number, and
# its own derivative would silently be lost. The engine refuses instead, and says why:

# %%
sine = gate("sin", math.sin, lambda out, v: (math.cos(v),))
x = Value(0.5, label="x")
print("first derivative, as a number:", grad(sine(x), [x]))
try:
    grad(sine(x), [x], create_graph=True)
except TypeError as error:
    print("TypeError:", error)

# %% [markdown]
# ## How big do these graphs get?
#
# Every differentiation records the chain rule over a graph that already holds the previous ones, so the
# graphs grow with the order. The engine keeps them small — numbers fold (× 1 and + 0 vanish, x·(−1)·(−1)
# is x) and an expression already in the graph is reused — but the growth stays geometric. The number of
# operations in the n-th derivative of tanh(x)·x:

# %%
x = Value(0.5, label="x")
derivative = x.tanh() * x
for order in range(1, 7):
    (derivative,) = grad(derivative, [x], create_graph=True)
    operations = sum(1 for node in topological_order(derivative) if node.parents)
    print(f"order {order}: {operations:4d} operations, value {derivative.data:+.6f}")

# %% [markdown]
# PyTorch records more for the same derivatives (310 nodes at order 6, against 137 here, and growing 2.5×
# per order against about 1.9×); the README's "Derivatives of derivatives" section has the measurements
# (`benchmarks/bench_higher.py`).
