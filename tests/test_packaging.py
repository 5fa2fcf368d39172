"""Installing graphgrad (SPEC §7): one version everywhere, the license and the
metadata a package index shows, type hints that ship, a renderer dependency
pip can always satisfy, an sdist that builds what it claims — and a clear
error when another distribution's ``autograd``, ``nn`` or ``viz`` has taken
one of graphgrad's names."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import autograd
import nn
import viz

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
CONSOLE_SCRIPT = shutil.which("graphgrad", path=str(Path(sys.executable).parent))

# ---- the version, the license, the metadata ------------------------------------------------


def test_one_version_everywhere() -> None:
    assert autograd.__version__ == nn.__version__ == viz.__version__
    assert importlib.metadata.version("graphgrad") == autograd.__version__  # what pip installed
    assert PROJECT["project"]["dynamic"] == ["version"]
    assert PROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "autograd.__version__"}


@pytest.mark.parametrize("launcher", ["graphgrad", "python -m viz"])
def test_graphgrad_version(launcher: str) -> None:
    command = [CONSOLE_SCRIPT] if launcher == "graphgrad" else [sys.executable, "-m", "viz"]
    assert command[0], "pip install -e . puts graphgrad next to python"
    result = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"graphgrad {autograd.__version__}\n", "")


def test_mit_license_as_an_spdx_expression() -> None:
    project = PROJECT["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")
    assert not any(c.startswith("License ::") for c in project["classifiers"])  # PEP 639: the expression only
    assert PROJECT["build-system"]["requires"] == ["setuptools>=77"]  # the first to read license-files


def test_classifiers_name_the_pythons_the_tests_run_on() -> None:
    classifiers = PROJECT["project"]["classifiers"]
    assert PROJECT["project"]["requires-python"] == ">=3.10"
    assert [c.rsplit(" ", 1)[1] for c in classifiers if c.startswith("Programming Language :: Python :: 3.")] == [
        "3.10",
        "3.11",
        "3.12",
        "3.13",
    ]
    assert "Typing :: Typed" in classifiers and "Intended Audience :: Education" in classifiers
    assert all(url.startswith("https://") for url in PROJECT["project"]["urls"].values())


@pytest.mark.parametrize("package", ["autograd", "nn", "viz"])
def test_each_package_ships_py_typed(package: str) -> None:
    assert (ROOT / package / "py.typed").is_file()
    assert PROJECT["tool"]["setuptools"]["package-data"]["*"] == ["py.typed"]


# ---- the layout program: a dependency only where pip can always install it ------------------

# Machines as environment markers see them. A 32-bit Python on 64-bit Windows reports the machine's
# AMD64, exactly as a 64-bit Python does: no marker tells them apart, and only the 64-bit one has a wheel.
MACHINES = {
    "linux x86-64": ("linux", "x86_64", True),
    "linux arm64": ("linux", "aarch64", True),
    "macOS arm64": ("darwin", "arm64", True),
    "macOS x86-64": ("darwin", "x86_64", True),
    "windows, 32- or 64-bit Python on AMD64": ("win32", "AMD64", False),
    "windows on arm64": ("win32", "ARM64", False),
    "windows 32-bit": ("win32", "x86", False),
    "linux armv7": ("linux", "armv7l", False),
    "pyodide": ("emscripten", "wasm32", False),
}


@pytest.mark.parametrize("machine", MACHINES)
def test_graphviz_pure_is_a_dependency_only_where_every_python_has_a_wheel(machine: str) -> None:
    platform, arch, expected = MACHINES[machine]
    [requirement] = [Requirement(d) for d in PROJECT["project"]["dependencies"] if d.startswith("graphviz-pure")]
    assert requirement.marker is not None
    environment = {"sys_platform": platform, "platform_machine": arch, "python_version": "3.11", "extra": ""}
    assert requirement.marker.evaluate(environment) is expected
    assert "graphviz-pure>=0.2.2,<0.3" in PROJECT["project"]["optional-dependencies"]["render"]  # anywhere else


def test_without_a_layout_program_drawing_says_how_to_get_one(tmp_path: Path) -> None:
    """Where graphviz-pure is not installed (and no Graphviz): import, to_dot and saving .dot work; drawing
    explains; the command says it in one line (exit 1: not the input's fault)."""
    code = (
        "import sys, viz, viz.render as r\n"
        "r._candidates = lambda: iter(())\n"  # as on a machine with neither graphviz-pure nor dot
        "from autograd import Value\n"
        "f = Value(2.0, label='x') * 3\n"
        "print(viz.to_dot(f).startswith('digraph'))\n"
        "try:\n    viz.to_svg(f)\nexcept RuntimeError as e:\n    print(e)\n"
        "from viz.cli import main\n"
        "sys.exit(main(['draw', 'x * 3', 'x=2', '-o', 'f.svg']))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GRAPHGRAD_DOT"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    first, message = result.stdout.splitlines()
    assert first == "True" and message.startswith("no layout program found") and "graphviz-pure" in message
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("graphgrad: error: no layout program found")
    assert os.listdir(tmp_path) == []


# ---- the sdist ---------------------------------------------------------------------------------


# What a clean clone holds besides git's files and virtualenvs (building writes into the source tree).
PROJECT_FILES = ["pyproject.toml", "README.md", "LICENSE", "MANIFEST.in", ".ci", "docs", "benchmarks", "notebooks"]


def _copy_of_the_project(folder: Path) -> Path:
    """A copy of the project to build from: the packages, the tests and the files at the top."""
    ignore = shutil.ignore_patterns("__pycache__", "*.log", ".ipynb_checkpoints")
    for name in [*PROJECT_FILES, "autograd", "nn", "viz", "tests"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=ignore)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    return folder


def _build(kind: str, source: Path, out: Path) -> Path:
    """Build an sdist or a wheel with this environment's setuptools (offline: no isolated download)."""
    code = f"from setuptools import build_meta; print(build_meta.build_{kind}({str(out)!r}))"
    result = subprocess.run([sys.executable, "-c", code], cwd=source, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return out / result.stdout.strip().splitlines()[-1]


def test_the_sdist_holds_the_packages_and_license_not_the_repository_tests(tmp_path: Path) -> None:
    sdist = _build("sdist", _copy_of_the_project(tmp_path / "project"), tmp_path / "dist")
    version = autograd.__version__
    assert sdist.name == f"graphgrad-{version}.tar.gz"
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
        pkg_info = archive.extractfile(f"graphgrad-{version}/PKG-INFO").read().decode()  # type: ignore[union-attr]
        archive.extractall(tmp_path / "unpacked", **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    assert {"LICENSE", "README.md", "pyproject.toml", "autograd/py.typed", "nn/py.typed", "viz/py.typed"} <= names
    assert {"nn/files.py", "nn/clash.py", "viz/clash.py", "viz/cli.py"} <= names
    assert not any(name.startswith(("tests/", "notebooks/", "benchmarks/", ".ci/")) for name in names)
    assert "License-Expression: MIT" in pkg_info and "License-File: LICENSE" in pkg_info
    assert f"Version: {version}" in pkg_info

    wheel = _build("wheel", tmp_path / "unpacked" / f"graphgrad-{version}", tmp_path / "wheel")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"graphgrad-{version}.dist-info/METADATA").decode()
        entry_points = archive.read(f"graphgrad-{version}.dist-info/entry_points.txt").decode()
    assert {
        "autograd/py.typed",
        "nn/py.typed",
        "viz/py.typed",
        f"graphgrad-{version}.dist-info/licenses/LICENSE",
    } <= names
    assert "graphgrad = viz.cli:main" in entry_points
    assert "Requires-Dist: graphviz-pure" in metadata and "Provides-Extra: render" in metadata


# ---- another distribution's autograd, nn or viz ---------------------------------------------


def _fake_distribution(site: Path, name: str, version: str, package: str, init: str = "") -> None:
    """Install (by hand, as pip would) a distribution ``name`` holding a top-level package ``package``."""
    (site / package).mkdir(parents=True, exist_ok=True)
    (site / package / "__init__.py").write_text(init or f'"""{name} {version}, not graphgrad\'s."""\n')
    info = site / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "top_level.txt").write_text(package + "\n")
    (info / "RECORD").write_text(f"{package}/__init__.py,,\n{info.name}/METADATA,,\n{info.name}/RECORD,,\n")


def _run(site: Path | None, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if site is not None:  # before site-packages on sys.path, as a user install or PYTHONPATH would be
        env["PYTHONPATH"] = str(site)
    return subprocess.run(list(args), capture_output=True, text=True, cwd=cwd, env=env, timeout=60)


IMPORTERS = {
    "import nn": [sys.executable, "-c", "import nn"],
    "import viz": [sys.executable, "-c", "import viz"],
    "python -m viz --version": [sys.executable, "-m", "viz", "--version"],
    "python -m viz draw": [sys.executable, "-m", "viz", "draw", "x * 2", "x=1", "-o", "f.svg"],
}
if CONSOLE_SCRIPT:
    IMPORTERS["graphgrad --version"] = [CONSOLE_SCRIPT, "--version"]


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("importer", IMPORTERS)
def test_hips_autograd_before_graphgrad_is_named_with_the_fix(tmp_path: Path, importer: str) -> None:
    _fake_distribution(tmp_path / "site", "autograd", "1.9.1", "autograd")
    error = _last_line(_run(tmp_path / "site", *IMPORTERS[importer], cwd=tmp_path))
    assert error.startswith("ImportError: 'autograd' is not graphgrad's package: the autograd distribution (1.9.1)")
    assert "pip uninstall autograd, then pip install --force-reinstall graphgrad" in error
    assert not (tmp_path / "f.svg").exists()


@pytest.mark.parametrize("importer", [i for i in IMPORTERS if i != "import nn"])
def test_pypi_nn_before_graphgrad_is_named_with_the_fix(tmp_path: Path, importer: str) -> None:
    _fake_distribution(tmp_path / "site", "nn", "0.1.1", "nn", init="import tensorflow\n")
    error = _last_line(_run(tmp_path / "site", *IMPORTERS[importer], cwd=tmp_path))
    assert error.startswith("ImportError: 'nn' is not graphgrad's package: the nn distribution (0.1.1)")
    assert "pip uninstall nn" in error


def test_pypi_viz_before_graphgrad_is_named_by_import_nn_users(tmp_path: Path) -> None:
    """A namesake viz hides the command's own code: the check in viz cannot run, but nothing else breaks."""
    _fake_distribution(tmp_path / "site", "viz", "0.0.5", "viz")
    assert _run(tmp_path / "site", sys.executable, "-c", "import nn", cwd=tmp_path).returncode == 0
    code = "from nn.clash import check; check('viz')"
    error = _last_line(_run(tmp_path / "site", sys.executable, "-c", code, cwd=tmp_path))
    assert error.startswith("ImportError: 'viz' is not graphgrad's package: the viz distribution (0.0.5)")


def test_a_learners_own_nn_py_is_named(tmp_path: Path) -> None:
    (tmp_path / "nn.py").write_text("# my homework\n")
    error = _last_line(_run(None, sys.executable, "-c", "import viz", cwd=tmp_path))
    assert error.startswith(f"ImportError: 'nn' is not graphgrad's package: Python finds {tmp_path / 'nn.py'} first")
    assert "rename it" in error


def test_hips_autograd_written_over_graphgrads_files_is_named(tmp_path: Path) -> None:
    """pip install autograd after graphgrad: its __init__.py replaces graphgrad's, in the same folder."""
    site = tmp_path / "site"
    site.mkdir()
    for package in ("autograd", "nn", "viz"):
        shutil.copytree(ROOT / package, site / package, ignore=shutil.ignore_patterns("__pycache__"))
    _fake_distribution(site, "autograd", "1.9.1", "autograd", init="from .value import Value  # HIPS's, say\n")
    for importer in ("import nn", "import viz"):
        error = _last_line(_run(site, *IMPORTERS[importer], cwd=tmp_path))
        assert error.startswith("ImportError: 'autograd' is not graphgrad's package: the autograd distribution"), error
        assert str(site / "autograd") in error


@pytest.mark.slow
def test_installing_the_real_hips_autograd_after_graphgrad(tmp_path: Path) -> None:
    """The issue's report, for real: a virtual environment, graphgrad's wheel, then pip install autograd."""
    wheel = _build("wheel", _copy_of_the_project(tmp_path / "project"), tmp_path / "dist")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], capture_output=True, text=True
        ).stdout.strip()
    )
    (site / "dependencies.pth").write_text(str(Path(importlib.metadata.distribution("numpy").locate_file(""))))
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet"]
    subprocess.run([*pip, str(wheel)], check=True)
    graphgrad = venv / ("Scripts/graphgrad.exe" if os.name == "nt" else "bin/graphgrad")
    ok = subprocess.run([graphgrad, "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert ok.stdout == f"graphgrad {autograd.__version__}\n", ok.stderr
    subprocess.run([*pip, "autograd==1.9.1"], check=True)  # HIPS autograd writes over graphgrad's autograd/
    for command in ([python, "-c", "import nn"], [python, "-c", "import viz"], [graphgrad, "--version"]):
        error = _last_line(subprocess.run(command, capture_output=True, text=True, cwd=tmp_path))  # not the repo
        assert error.startswith("ImportError: 'autograd' is not graphgrad's package: the autograd distribution (1.9.1)")
        assert "pip uninstall autograd, then pip install --force-reinstall graphgrad" in error
