"""``SGD``: stochastic gradient descent, the update that training repeats.

After ``loss.backward()`` each parameter's ``.grad`` points uphill, so a
step moves it the other way: p ← p − lr·grad. With momentum μ the step
follows a running sum of gradients instead, v ← μ·v + grad; p ← p − lr·v,
exactly as ``torch.optim.SGD`` defines it (so both give the same numbers).

>>> from autograd import Value
>>> w = Value(1.0); (w * 3).backward()
>>> opt = SGD([w], lr=0.1); opt.step()
>>> round(w.data, 10)
0.7
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

from autograd import Value


def _rate(x: object, what: str) -> float:
    if isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(x) and float(x) >= 0.0:
        return float(x)
    raise (ValueError if isinstance(x, numbers.Real) else TypeError)(
        f"{what} must be a finite number ≥ 0, got {type(x).__name__} {x!r}"
    )


class SGD:
    """Gradient descent with optional momentum over a list of parameters.

    ``lr`` may be changed between steps (a learning-rate schedule).

    >>> import nn
    >>> model = nn.Neuron(1, activation="linear", init="zeros")
    >>> opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    >>> loss = nn.mse_loss(model([1.0]), 2.0)
    >>> opt.zero_grad(); loss.backward(); opt.step()
    >>> [round(p.data, 6) for p in model.parameters()]
    [0.4, 0.4]
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("SGD got an empty list of parameters")
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"SGD takes Values (model.parameters()), got {type(p).__name__} at {i}")
        self.lr = _rate(lr, "lr")
        self.momentum = _rate(momentum, "momentum")
        self.velocity = [0.0] * len(self.params)  # v: the running sum of gradients

    def step(self) -> None:
        """Move every parameter against its gradient.

        >>> from autograd import Value
        >>> p = Value(0.0); p.grad = 2.0
        >>> SGD([p], lr=0.5).step(); p.data
        -1.0
        """
        lr, mu = self.lr, self.momentum
        if mu == 0.0:
            for p in self.params:
                if p.grad is not None:  # `p.grad = None` (a PyTorch habit): no gradient, no step, as torch.optim
                    p.data -= lr * p.grad
            return
        velocity = self.velocity
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            v = mu * velocity[i] + p.grad
            velocity[i] = v
            p.data -= lr * v

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (gradients accumulate otherwise).

        >>> from autograd import Value
        >>> p = Value(0.0); p.grad = 2.0
        >>> SGD([p], lr=0.1).zero_grad(); p.grad
        0.0
        """
        for p in self.params:
            p.grad = 0.0

    def __repr__(self) -> str:
        return f"SGD({len(self.params)} parameters, lr={self.lr:g}, momentum={self.momentum:g})"
