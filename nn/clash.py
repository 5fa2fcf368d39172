"""Is each of graphgrad's packages graphgrad's? A clear error when another one has taken its name.

graphgrad's three packages have common names. HIPS ``autograd`` (a
dependency of PennyLane and lifelines) and the PyPI packages ``nn`` and
``viz`` install top-level packages called the same: installed after
graphgrad they write over its files, installed earlier on ``sys.path``
they hide them — and so does a learner's own ``nn.py`` beside a notebook.
Python then fails deep inside an import ("cannot import name 'Value' from
'autograd'"). ``nn`` and ``viz`` check first, and the error says which
distribution (or file) has the name and how to fix it.

``check`` only asks Python where a name would be imported from (no file is
read, no code run); ``require`` also imports it and looks for one name
graphgrad's package defines. Who owns a name is looked up only when
something is wrong. ``viz`` loads this file by its path (``viz/clash.py``
says why).

>>> check("autograd", "nn", "viz")  # all graphgrad's: nothing to say
>>> require("autograd").__name__
'autograd'
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from types import ModuleType

__all__ = ["PACKAGES", "check", "clash", "require"]

# graphgrad's packages, each with a name it defines that a namesake would not.
PACKAGES = {"autograd": "topological_order", "nn": "MLP", "viz": "backward_steps"}
FOLDER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # where graphgrad's packages sit side by side


def check(*names: str) -> None:
    """Raise ``ImportError`` if any of ``names`` would be imported from anywhere but graphgrad's folder."""
    for name in names:
        origin = _origin(name)
        expected = os.path.join(FOLDER, name, "__init__.py")
        if origin != expected and not (origin and os.path.exists(origin) and os.path.samefile(origin, expected)):
            raise clash(name)


def require(name: str) -> ModuleType:
    """Import graphgrad's package ``name``; ``ImportError`` saying who has the name if it is not graphgrad's."""
    check(name)
    try:
        module = importlib.import_module(name)
    except Exception as error:  # another distribution's files over graphgrad's: any error their code raises
        raise clash(name) from error
    if not hasattr(module, PACKAGES[name]):
        raise clash(name)
    return module


def clash(name: str) -> ImportError:
    """The error to raise when ``name`` is not graphgrad's package: who has it, and how to get it back.

    >>> error = clash("nn")  # what it would say: here nn is graphgrad's, and no distribution owns the name
    >>> error.name, str(error).startswith("'nn' is not graphgrad's package: Python finds ")
    ('nn', True)
    """
    origin = _origin(name)
    owner = _owner(name, origin)
    if owner:
        dist, version = owner
        return ImportError(
            f"{name!r} is not graphgrad's package: the {dist} distribution ({version}) also installs a package "
            f"called {name}, at {os.path.dirname(origin or '') or '?'}. To fix it: pip uninstall {dist}, then "
            f"pip install --force-reinstall graphgrad; or use graphgrad in a virtual environment of its own",
            name=name,
        )
    return ImportError(
        f"{name!r} is not graphgrad's package: Python finds {origin or 'a folder called ' + name} first. "
        f"If that is a file or folder of yours called {name}, rename it; or reinstall graphgrad "
        "(pip install --force-reinstall graphgrad)",
        name=name,
    )


def _origin(name: str) -> str | None:
    """The file ``import name`` runs (``__init__.py`` of a package), or None for a folder without one."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):  # a half-imported module without a spec
        return None
    return spec.origin if spec is not None and spec.origin not in (None, "namespace") else None


def _owner(name: str, origin: str | None) -> tuple[str, str] | None:
    """The distribution (not graphgrad) whose installed files include ``origin``, with its version."""
    import importlib.metadata  # here: 20 ms to import, needed only when something is wrong

    for dist_name in importlib.metadata.packages_distributions().get(name, []):
        dist = importlib.metadata.distribution(dist_name)
        if dist.metadata["Name"].lower() == "graphgrad":
            continue
        files = [os.path.abspath(str(dist.locate_file(f))) for f in dist.files or []]
        if origin is None or any(f == origin or (os.path.exists(f) and os.path.samefile(f, origin)) for f in files):
            return dist.metadata["Name"], dist.version
    return None
