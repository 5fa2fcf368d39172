"""Notebook 4: training on two moons (built into 04-training-on-moons.ipynb by notebooks/build.py)."""

# %% [markdown]
# # 4 · Training an MLP on two moons
#
# micrograd's demo: two interleaving half circles of points, one class each, and a small multi-layer
# perceptron (MLP) that learns to tell them apart. Training repeats four lines: forward pass, loss,
# `backward()`, and an SGD step that moves every weight a little against its gradient.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import nn
import viz
from autograd import Value, no_grad

FAST = os.environ.get("GRAPHGRAD_FAST") == "1"  # the tests set this to keep the runs short

# %% [markdown]
# ## The data
#
# 100 points for training and 200 fresh ones, never trained on, to see whether the model generalizes.
# The hinge loss below wants the labels as −1 and +1.

# %%
X, labels = nn.make_moons(100, noise=0.1, seed=0)
X_new, labels_new = nn.make_moons(200, noise=0.1, seed=1)
y, y_new = 2 * labels - 1, 2 * labels_new - 1  # 0/1 → −1/+1

colors = np.array(["#e66101", "#2166ac"])  # orange for −1, blue for +1
plt.figure(figsize=(4.5, 3.2))
plt.scatter(X[:, 0], X[:, 1], c=colors[labels], s=18)
plt.title("two moons: 100 training points")
plt.show()

# %% [markdown]
# ## The model
#
# Two inputs (the point's coordinates), two hidden layers of 16 ReLU neurons, one output: a score whose
# sign is the predicted class. The weights start from the He initializer (made for ReLU, see notebook 3).

# %%
model = nn.MLP(2, [16, 16, 1], activation="relu", init="he_uniform", seed=0)
print(model.summary())

# %%
viz.draw_model(model)

# %% [markdown]
# Each line is a weight: blue positive, orange negative, thicker the larger it is. These are random,
# for now.
#
# ## What training changes
#
# One training step, drawn: the loss over a mini-batch of 10 points, then `backward()`. Its graph has
# about 6,800 values — ten forward passes through the same network, then the mean — far too many to read
# one by one. `viz.draw` shows it the way training sees it: each of the 337 parameters **once**, its label,
# its value in green and its gradient in red. Every pass uses the same weights, so each red number is the
# sum of what the ten passes sent back to that weight (the note above the drawing adds one up). On the
# right, each layer drawn once for all ten passes, with the range of the values it passes on.

# %%
batch_X, batch_y = X[:10], [int(label) for label in y[:10]]
loss = nn.hinge_loss([model([float(a), float(b)]) for a, b in batch_X], batch_y)
loss.label = "loss"
loss.backward()
viz.draw(loss)

# %% [markdown]
# Those red numbers are all SGD needs: it moves every parameter a little against its gradient,
# p ← p − lr·gradient, and the loss on these points goes down. Nothing else in the graph changes: the
# inputs are data, and every value in between is recomputed by the next forward pass.

# %%
optimizer = nn.SGD(model.parameters(), lr=0.1)
optimizer.step()
with no_grad():
    after = nn.hinge_loss([model([float(a), float(b)]) for a, b in batch_X], batch_y).data
print(f"loss on these 10 points: {loss.data:.4f} before the step, {after:.4f} after it")
optimizer.zero_grad()

# %% [markdown]
# ## Training
#
# The **hinge loss** max(0, 1 − y·score) is zero once a point is on the right side with a margin of 1, and
# a small L2 penalty (`alpha`) keeps the weights from growing without need. `nn.fit` shuffles the points
# into mini-batches of 20 and takes one SGD step (with momentum) per batch; one epoch is one pass over the
# data. The bar shows the loss as it falls (a viewer that cannot show widgets, such as GitHub's, shows the
# bar's starting text instead; the line printed below it gives the end).

# %%
epochs = 5 if FAST else 40
history = nn.fit(
    model, X, y, loss="hinge", epochs=epochs, batch_size=20, lr=0.1, momentum=0.9, alpha=1e-4, validation=(X_new, y_new)
)
print(
    f"after {epochs} epochs: loss {history['loss'][-1]:.4f}, "
    f"accuracy {history['accuracy'][-1]:.0%} on the training points, {history['val_accuracy'][-1]:.0%} on new ones"
)

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.2))
left.plot(history["loss"], label="training points")
left.plot(history["val_loss"], label="new points")
left.set(title="loss", xlabel="epoch", yscale="log")
right.plot(history["accuracy"], label="training points")
right.plot(history["val_accuracy"], label="new points")
right.set(title="accuracy", xlabel="epoch", ylim=(0.4, 1.02))
for ax in (left, right):
    ax.grid(alpha=0.3)
    ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# The training loss sits above the loss on new points because it includes the weight penalty and is
# measured while the weights are still moving within the epoch.
#
# ## The decision boundary
#
# Ask the trained model for its score at every point of a grid (no gradients needed, so under `no_grad`)
# and colour the plane by the sign: the boundary is where the score crosses 0.

# %%
steps = 25 if FAST else 80
xx, yy = np.meshgrid(np.linspace(-1.6, 2.6, steps), np.linspace(-1.1, 1.6, steps))
with no_grad():
    scores = np.array([model([float(a), float(b)]).data for a, b in zip(xx.ravel(), yy.ravel(), strict=True)])
plt.figure(figsize=(5.5, 3.8))
plt.contourf(xx, yy, scores.reshape(xx.shape) > 0, levels=[-0.5, 0.5, 1.5], colors=["#fdb863", "#92c5de"])
plt.contour(xx, yy, scores.reshape(xx.shape), levels=[0], colors="black", linewidths=1)
plt.scatter(X[:, 0], X[:, 1], c=colors[labels], s=18, edgecolors="white", linewidths=0.5)
plt.title(f"decision boundary: {nn.accuracy(model, X, y, loss='hinge'):.0%} of the training points right")
plt.show()

# %% [markdown]
# ## What the network learned
#
# The same picture of the network as before training: now the weights have sizes and signs that matter.

# %%
viz.draw_model(model)

# %% [markdown]
# ## One point through the network, condensed
#
# The full computation graph for a single point has about a thousand values: a poster, not a picture.
# `viz.draw` condenses it: each neuron becomes one box (its value in green, its gradient in red), so the
# whole forward and backward pass for this point fits on a screen.

# %%
point = [Value(float(X[0, 0]), label="x0"), Value(float(X[0, 1]), label="x1")]
[score] = model.forward(point)  # forward always gives a list; calling the model unwraps a single output
score.label = "score"
score.backward()
viz.draw(score)

# %% [markdown]
# Inside one of those boxes: the first neuron of the first layer, every gate drawn. It is the neuron of
# notebook 2 with ReLU for σ: w0·x0 + w1·x1 + b, then `relu`.

# %%
model.zero_grad()  # the weights are leaves: their gradients would add up across two backward passes
point = [Value(v.data, label=v.label) for v in point]
h = model.layers[0].forward(point)[0]
h.label = "h"
h.backward()
viz.draw(h, detail="full")
