"""Notebook 3: activations and initializers (built into 03-activations-and-initializers.ipynb by notebooks/build.py)."""

# %% [markdown]
# # 3 · Activations and initializers
#
# A neuron's activation decides how much gradient gets through it: the local gradient of its gate.
# The initializer decides where training starts: how large the signals are as they pass layer after
# layer. Get either wrong and a deep network's signals or gradients fade away (vanish) or blow up.
#
# Everything below is computed with the engine itself, one `Value` at a time.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import nn
from autograd import Value, no_grad

FAST = os.environ.get("GRAPHGRAD_FAST") == "1"  # the tests set this to keep the runs short

# %% [markdown]
# ## The activations and their local gradients
#
# For each x we build `Value(x)`, apply the activation's gate, call `backward()` and read `x.grad`: the
# right-hand plot is the local gradient each gate hands to the chain rule.

# %%
xs = np.linspace(-5, 5, 101 if FAST else 401)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
for name, style in [("sigmoid", "-"), ("tanh", "-"), ("relu", "-"), ("leaky_relu", "--")]:
    activation = nn.get_activation(name)
    outputs, slopes = [], []
    for x in xs:
        v = Value(float(x))
        out = activation(v)
        out.backward()
        outputs.append(out.data)
        slopes.append(v.grad)
    left.plot(xs, outputs, style, label=name)
    right.plot(xs, slopes, style, label=name)
left.set(title="activation(x)", xlabel="x", ylim=(-1.5, 2.5))
right.set(title="its local gradient d activation / dx", xlabel="x", ylim=(-0.1, 1.1))
for ax in (left, right):
    ax.axhline(0, color="grey", linewidth=0.5)
    ax.grid(alpha=0.3)
left.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# What to read off the right-hand plot:
#
# - **sigmoid**: its local gradient σ(1−σ) is at most **0.25** (at x = 0), and nearly 0 once |x| > 5.
#   Every sigmoid a gradient passes through multiplies it by 0.25 or less.
# - **tanh**: 1 at x = 0, but it too flattens out (saturates) for large |x|.
# - **relu**: exactly 1 for x > 0, exactly 0 for x < 0. A neuron whose input stays negative gets no gradient
#   at all and stops learning (a "dead" ReLU).
# - **leaky_relu**: like relu, but 0.01 instead of 0 for x < 0 (the dashed line sits just above relu's),
#   so a little gradient always gets through.

# %% [markdown]
# ## Initializers: how the spread of activations changes through a deep network
#
# Feed random inputs through a deep MLP (every layer the same width) and measure the spread (standard
# deviation) of each layer's outputs, once per initializer. A weight's spread scales every signal that
# passes through it, once per layer, so small differences compound.

# %%
depth, width, batch = (6, 16, 10) if FAST else (10, 32, 50)
inputs = np.random.default_rng(0).normal(size=(batch, width)).tolist()
initializers = [name for name in nn.INITIALIZERS if name != "zeros"]


def layer_outputs(activation, init):
    """Each layer's outputs (a batch × width array per layer) for the random inputs."""
    model = nn.MLP(width, [width] * depth, activation=activation, output_activation=activation, init=init, seed=0)
    layers, rows = [], inputs
    with no_grad():  # values only: no graph is recorded
        for layer in model.layers:
            rows = [[v.data for v in layer.forward(row)] for row in rows]
            layers.append(np.array(rows))
    return layers


outputs = {(act, init): layer_outputs(act, init) for act in ("tanh", "relu") for init in initializers}

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for ax, activation in zip(axes, ("tanh", "relu"), strict=True):
    for init in initializers:
        spread = [layer.std() for layer in outputs[activation, init]]
        ax.plot(range(1, depth + 1), spread, "o-", label=init)
    ax.set(title=f"{activation} network, {depth} layers of {width}", xlabel="layer", ylabel="std of outputs")
    ax.set_yscale("log")
    ax.grid(alpha=0.3)
axes[1].legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# - **random_normal** (σ = 1) is far too large for a layer of 32 inputs: tanh neurons saturate at ±1 (where
#   their gradient is ~0), and ReLU outputs grow about √(32/2) = 4 times per layer.
# - **uniform** (PyTorch's default, limit 1/√fan_in) shrinks the signal layer by layer in both networks.
# - **glorot** (Xavier) is scaled for tanh: the spread settles instead of collapsing (tanh still squashes a
#   little). Through ReLU, which zeroes half of its inputs, it halves the variance at every layer.
# - **he** doubles Glorot's variance to make up for that: it is the one that holds steady through ReLU.
#
# The histograms of the last tanh layer show the two ways to fail, and the middle way:

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 2.8), sharey=True)
for ax, init in zip(axes, ("random_normal", "glorot_uniform", "uniform"), strict=True):
    ax.hist(outputs["tanh", init][-1].ravel(), bins=30, range=(-1, 1), color="#2166ac")
    ax.set(title=f"{init}: layer {depth}", xlabel="tanh output")
plt.tight_layout()
plt.show()

# %% [markdown]
# And **zeros**? Every neuron of a layer then computes the same thing and gets the same gradient, so they
# stay identical forever: nothing breaks the symmetry. (With zero weights and zero biases every output is 0.)

# %%
print({act: float(np.abs(layer_outputs(act, "zeros")[-1]).max()) for act in ("tanh", "relu")})

# %% [markdown]
# ## Vanishing gradients with sigmoid
#
# Now the backward direction. Take a deep network, a squared-error loss on a batch, one `backward()`,
# and measure the average size of the weights' gradients, layer by layer. Going backward from the loss,
# each sigmoid multiplies the gradient by at most 0.25, so the first layers get almost nothing: they
# barely learn. Each network uses the initializer meant for its activation (Glorot, He for ReLU).

# %%
targets = np.random.default_rng(1).choice([-1.0, 1.0], size=batch).tolist()
fig, ax = plt.subplots(figsize=(6.5, 3.8))
for activation, init in [("sigmoid", "glorot_uniform"), ("tanh", "glorot_uniform"), ("relu", "he_uniform")]:
    model = nn.MLP(width, [width] * depth + [1], activation=activation, init=init, seed=0)
    loss = nn.mse_loss([model(row) for row in inputs], targets)
    loss.backward()
    sizes = [np.mean([abs(w.grad) for n in layer.neurons for w in n.w]) for layer in model.layers[:-1]]
    ax.plot(range(1, depth + 1), sizes, "o-", label=activation)
    print(f"{activation:8s} mean |∂loss/∂w|: layer 1 {sizes[0]:.1e}, layer {depth} {sizes[-1]:.1e}")
ax.set(title="gradient size per hidden layer", xlabel="layer (1 = next to the inputs)", ylabel="mean |∂loss/∂w|")
ax.set_yscale("log")
ax.grid(alpha=0.3)
ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# The sigmoid network's gradients fall by orders of magnitude from the last hidden layer to the first:
# the **vanishing gradient** problem, and the reason hidden layers today use tanh or (mostly) ReLU.
