"""Notebook 5: handwritten digits (built into 05-handwritten-digits.ipynb by notebooks/build.py)."""

# %% [markdown]
# # 5 · Handwritten digits
#
# Ten classes now: the 1,797 small (8×8 pixel) handwritten digits that ship with scikit-learn. The network
# reads the 64 pixels and gives 10 scores (logits), one per digit; softmax turns them into probabilities and
# the cross-entropy loss rewards a high probability for the right digit.
#
# Every one of the 1,797 digits is used: three quarters to train on, a quarter held out to test. That is too
# much for the scalar engine one number at a time, so this notebook also shows how graphgrad *compiles* a
# training step: it records the graph of one digit once and runs it over many digits at once as array
# operations.

# %%
import os
import time
import timeit

import matplotlib.pyplot as plt
import numpy as np

import autograd
import nn
import viz
from autograd import topological_order
from nn.compiled import cross_entropy_one_hot

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
print(model.summary())

# %%
viz.draw_model(model)

# %% [markdown]
# ## One digit's graph
#
# First, one digit the ordinary way: the eager engine builds its whole graph — every weight times every
# pixel, every sum, every tanh, the softmax and the loss — and `backward()` walks it. A few thousand values
# is too many to draw one by one, so the drawing condenses them: each layer is one box, and every pixel a
# wire into the first (its value in green, its gradient in red).

# %%
loss = nn.cross_entropy(model(X_train[0]), int(y_train[0]))
loss.backward()
print(f"one digit: loss {loss.data:.3f}, a graph of {len(topological_order(loss)):,} values")
viz.draw(loss)

# %% [markdown]
# ## Compiling the step
#
# Every digit builds a graph of exactly the same shape; only the numbers differ. So `autograd.compile`
# records the graph of one example digit once, and then runs it for a whole batch of digits with NumPy:
# the nodes that do the same operation at the same depth become one array operation, and each neuron's
# weighted sum `b + w·x` becomes part of one matrix product per layer. The loss and the gradients it adds to
# each weight's `.grad` are the same numbers as the eager graph's (to rounding).
#
# (`cross_entropy_one_hot` is `nn.cross_entropy` with the target as a one-hot row: the class index of
# `nn.cross_entropy` would choose a different logit for each digit, i.e. a different graph.)

# %%
one_hot = np.eye(10)[y_train]
step = autograd.compile(lambda x, target: cross_entropy_one_hot(model(x), target), X_train[0], one_hot[0])
step.summary()

# %% [markdown]
# The table is the whole trick: thousands of scalar nodes per digit became a handful of array operations,
# each run once for the whole batch. How much faster is a step on 100 digits?

# %%
batch = slice(0, 100)
eager_step = min(
    timeit.repeat(lambda: nn.cross_entropy(model(X_train[0]), int(y_train[0])).backward(), number=1, repeat=3)
)
compiled_step = min(timeit.repeat(lambda: step(X_train[batch], one_hot[batch]), number=1, repeat=3))
print(f"eager: {eager_step * 1000:.1f} ms per digit, so {100 * eager_step * 1000:,.0f} ms for 100 digits")
print(f"compiled: {compiled_step * 1000:.1f} ms for all 100 digits at once ({eager_step * 100 / compiled_step:.0f}× faster)")
model.zero_grad()

# %% [markdown]
# ## Mini-batch SGD, compiled
#
# `nn.fit(..., compiled=True)` trains through that compiled step: each step averages the loss over a
# mini-batch of 16 digits and moves every weight. After each epoch `fit` also measures the loss and accuracy
# on the held-out digits.

# %%
epochs = 3 if FAST else 20
begin = time.perf_counter()
history = nn.fit(
    model,
    X_train,
    y_train,
    loss="cross_entropy",
    epochs=epochs,
    batch_size=16,
    lr=0.05,
    momentum=0.9,
    validation=(X_test, y_test),
    compiled=True,
)
print(f"{epochs} epochs on all {len(X_train):,} training digits in {time.perf_counter() - begin:.1f} s")

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
# Watch the gap: the training accuracy climbs to 100% while the test accuracy levels off a little below.
# The model starts to memorize its training digits rather than learn digits in general (overfitting); more
# data, a weight penalty (`alpha=`) or stopping earlier all help.

# %%
test_accuracy = nn.accuracy(model, X_test, y_test, loss="cross_entropy")
print(f"accuracy on {len(X_test)} test digits: {test_accuracy:.1%}")

# %% [markdown]
# ## Which digits get confused?
#
# The confusion matrix counts, for each true digit (row), what the model predicted (column). The diagonal
# holds the correct answers; anything off it is a mistake.

# %%
predict = autograd.compile(lambda x: model(x), X_test[0])  # the 10 logits of one digit, compiled
logits = predict.evaluate(X_test)  # for every test digit at once: 450 × 10, no gradients
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
# **blue** where a dark pixel raises the neuron's input, **red** where it lowers it. Many have learned
# stroke-like patterns.

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
big = nn.MLP(784, [16, 16, 10], activation="tanh", init="he_uniform", seed=0)
print(big.summary())

# %% [markdown]
# The eager engine makes every multiplication a Python object that records its inputs and its local
# gradients, so one training step on one image builds and walks a graph of tens of thousands of values.
# Measured on this machine:

# %%
image = np.random.default_rng(0).random(784)
eager_image = min(timeit.repeat(lambda: nn.cross_entropy(big(image), 7).backward(), number=1, repeat=3))
graph_size = len(topological_order(nn.cross_entropy(big(image), 7)))
print(f"eager, one image forward + backward: {eager_image * 1000:.0f} ms, through {graph_size:,} values")
print(f"so one epoch of 60,000 images: about {60_000 * eager_image / 60:.0f} minutes, on one core")

# %% [markdown]
# Compiled, the same network trains on whole batches. We have no MNIST files here, so the data is
# synthetic and says so: ten random 28×28 patterns with pixels in [0, 1], one per class, and each image its
# class's pattern plus Gaussian noise (σ = 0.3), clipped to [0, 1] — 60,000 of them, the size of MNIST's
# training set. One epoch of mini-batches of 100:

# %%
n_images = 2_000 if FAST else 60_000
rng = np.random.default_rng(0)
patterns = rng.random((10, 784))
labels = rng.integers(0, 10, n_images)
images = np.clip(patterns[labels] + rng.normal(0.0, 0.3, (n_images, 784)), 0.0, 1.0)
begin = time.perf_counter()
big_history = nn.fit(big, images, labels, loss="cross_entropy", epochs=1, batch_size=100, lr=0.05, compiled=True)
seconds = time.perf_counter() - begin
print(f"compiled: one epoch over {n_images:,} images in {seconds:.1f} s (compiling included), ", end="")
print(f"accuracy {big_history['accuracy'][0]:.1%}; eager would take about {n_images * eager_image / 60:.0f} minutes")

# %% [markdown]
# The arithmetic is the same — the same multiplications, sums and tanh, the same chain rule — but done as
# a few big array operations instead of a Python object per number. That is what PyTorch does with its
# tensors, and `model.to_torch()` hands this very network to PyTorch when you outgrow graphgrad. The scalar
# engine stays the right tool for *seeing* backpropagation: every value above can be drawn.
