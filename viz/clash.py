"""The clash check of ``nn/clash.py`` (is each of autograd, nn, viz graphgrad's?), loaded from its file.

``from nn.clash import check`` would first run ``nn/__init__.py`` — another
distribution's, when that is what has taken the name ``nn`` — and import
numpy, which ``import viz`` does not need. The file beside this package is
graphgrad's whatever answers to ``nn``, so it is loaded by its path.
"""

from __future__ import annotations

import importlib.util
import os

__all__ = ["check", "clash", "require"]

_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "nn", "clash.py")
_spec = importlib.util.spec_from_file_location("viz._nn_clash", _PATH)
if _spec is None or _spec.loader is None or not os.path.isfile(_PATH):
    raise ImportError(f"graphgrad is incomplete: {_PATH} is missing; pip install --force-reinstall graphgrad")
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
check, clash, require = _module.check, _module.clash, _module.require
