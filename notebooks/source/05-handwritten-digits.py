"""Notebook 5: handwritten digits (built into 05-handwritten-digits.ipynb by notebooks/build.py)."""

# %% [markdown]
# # 5 · Handwritten digits
#
# Ten classes now: the 1,797 small (8×8 pixel) handwritten digits that ship with scikit-learn. The network
# reads the 64 pixels and gives 10 scores (logits), one per digit; softmax turns them into probabilities and
# the cross-entropy loss rewards a high probability for the right digit.

# %%
import os
import time
import timeit

import matplotlib.pyplot as plt
import numpy as np

import nn
import viz
from autograd import no_grad, topological_order

FAST = os.environ.get("GRAPHGRAD_FAST") == "1"  # the tests set this to keep the runs short

# %% [markdown]
# ## The data
#
# Each digit is 64 numbers between 0 (white) and 1 (black). A quarter of them (450) are held out for
# testing: the model never trains on them.

# %%
X, y = nn.load_digits()
X_train, X_test, y_train, y_test = nn.train_test_split(X, y, test_size=0.25, seed=0)
print(f"{len(X_train)} training digits, {len(X_test)} test digits, {X.shape[1]} pixels each")

fig, axes = plt.subplots(2, 10, figsize=(10, 2.4))
for ax, image, label in zip(axes.ravel(), X_train[:20], y_train[:20], strict=True):
    ax.imshow(image.reshape(8, 8), cmap="gray_r")
    ax.set_title(str(label))
    ax.axis("off")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## The model: 64-16-16-10
#
# Two hidden layers of 16 tanh neurons. That is already 1,482 weights and biases, every one a `Value`.

# %%
model = nn.MLP(64, [16, 16, 10], activation="tanh", init="he_uniform", seed=0)
model.summary()

# %%
viz.draw_model(model)

# %% [markdown]
# ## Mini-batch SGD
#
# A scalar engine is slow (see the end of this notebook), so we train on a few hundred of the training
# digits: each step averages the loss over a mini-batch of 10 digits, calls `backward()` once, and moves
# every weight. After each epoch `fit` also measures the loss and accuracy on the held-out digits.

# %%
n_train, epochs = (100, 2) if FAST else (600, 12)
if FAST:  # fewer test digits too
    X_test, y_test = X_test[:100], y_test[:100]
begin = time.perf_counter()
history = nn.fit(
    model,
    X_train[:n_train],
    y_train[:n_train],
    loss="cross_entropy",
    epochs=epochs,
    batch_size=10,
    lr=0.05,
    momentum=0.9,
    validation=(X_test, y_test),
)
print(f"{epochs} epochs on {n_train} digits in {time.perf_counter() - begin:.0f} s")

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.2))
left.plot(history["loss"], label="training digits")
left.plot(history["val_loss"], label="test digits")
left.set(title="cross-entropy loss", xlabel="epoch")
right.plot(history["accuracy"], label="training digits")
right.plot(history["val_accuracy"], label="test digits")
right.set(title="accuracy", xlabel="epoch", ylim=(0, 1.02))
for ax in (left, right):
    ax.grid(alpha=0.3)
    ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# Watch the gap: after a few epochs the training loss keeps falling while the test loss stops improving.
# The model starts to memorize its few hundred training digits rather than learn digits in general
# (overfitting); more data, a weight penalty (`alpha=`) or stopping earlier all help.

# %%
test_accuracy = nn.accuracy(model, X_test, y_test, loss="cross_entropy")
print(f"accuracy on {len(X_test)} test digits: {test_accuracy:.1%}")

# %% [markdown]
# ## Which digits get confused?
#
# The confusion matrix counts, for each true digit (row), what the model predicted (column). The diagonal
# holds the correct answers; anything off it is a mistake.

# %%
with no_grad():  # predictions only: no graph needed
    logits = np.array([[v.data for v in model(image)] for image in X_test])
predicted = logits.argmax(axis=1)
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (y_test, predicted), 1)

fig, ax = plt.subplots(figsize=(4.6, 4.2))
ax.imshow(confusion, cmap="Blues")
for (row, col), count in np.ndenumerate(confusion):
    if count:
        ax.text(col, row, count, ha="center", va="center", color="white" if count > confusion.max() / 2 else "black")
ax.set(xticks=range(10), yticks=range(10), xlabel="predicted digit", ylabel="true digit", title="confusion matrix")
plt.show()

# %% [markdown]
# ## What the first layer looks for
#
# Each first-layer neuron has one weight per pixel, so its 64 weights can be drawn as an 8×8 image:
# **blue** where a dark pixel raises the neuron's input, **red** where it lowers it. Some neurons have
# learned stroke-like patterns; with so little training many are still close to their random start.

# %%
weights = np.array([[w.data for w in neuron.w] for neuron in model.layers[0].neurons])
limit = np.abs(weights).max()
fig, axes = plt.subplots(2, 8, figsize=(10, 2.9))
for k, (ax, row) in enumerate(zip(axes.ravel(), weights, strict=True), start=1):
    ax.imshow(row.reshape(8, 8), cmap="RdBu", vmin=-limit, vmax=limit)
    ax.set_title(f"neuron {k}", fontsize=9)
    ax.axis("off")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## And full-size MNIST?
#
# The classic MNIST digits are 28×28 = 784 pixels, 60,000 of them for training. The usual first network,
# 784-16-16-10, has 13,002 parameters:

# %%
big = nn.MLP(784, [16, 16, 10], activation="tanh", seed=0)
big.summary()

# %% [markdown]
# An honest word on speed. Here every multiplication is a Python object that records its inputs and its
# local gradients, so one training step on one image builds and walks a graph of tens of thousands of
# values. Measured on this machine:

# %%
image = np.random.default_rng(0).random(784).tolist()
step = min(timeit.repeat(lambda: nn.cross_entropy(big(image), 7).backward(), number=1, repeat=3))  # best of 3
graph_size = len(topological_order(nn.cross_entropy(big(image), 7)))
print(f"one image, forward + backward: {step * 1000:.0f} ms, through {graph_size:,} values")
print(f"one epoch of 60,000 images: about {60_000 * step / 60:.0f} minutes, on one core")

images = np.random.default_rng(0).random((6000, 784))
first_layer = np.array([[w.data for w in neuron.w] for neuron in big.layers[0].neurons]).T  # 784 × 16
numpy_time = min(timeit.repeat(lambda: images @ first_layer, number=1, repeat=3))  # 6,000 images in one call
with no_grad():
    engine_time = min(timeit.repeat(lambda: big.layers[0].forward(image), number=1, repeat=3))  # one image
print(f"the first layer's weighted sums for one image: engine {engine_time * 1e6:,.0f} µs,", end=" ")
print(f"NumPy {numpy_time / 6000 * 1e6:.2f} µs (its time for 6,000 images / 6,000)")

# %% [markdown]
# Libraries such as PyTorch treat a whole layer as one matrix multiplication over whole batches of images,
# run in compiled code, and keep only one gradient record per *matrix*, not per number. The scalar engine
# does exactly the same arithmetic, one number at a time, which is why you can draw every step of it and why
# it is the right tool for learning backpropagation, not for training on MNIST.
