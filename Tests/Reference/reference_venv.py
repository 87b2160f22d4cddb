"""Finds or creates the Python virtual environment that the reference scripts run in.

Used by Tests/Reference/smollm2_reference.py and Benchmarks/llama_cpp_bench.py: when the interpreter that
runs them cannot import llama_cpp, gguf and numpy, `ensure()` creates a venv OUTSIDE the repository
(default ~/.cache/veector/reference-venv, or $VEECTOR_REFERENCE_VENV, or --venv PATH), installs the pinned
packages of Tests/Reference/requirements.txt from PyPI, and re-executes the script under that venv's
python. pip builds llama-cpp-python from source (about 8 minutes on 2 cores); install cmake from apt
first (`apt-get install -y cmake`) to save a longer build of cmake itself.
"""
import os
import subprocess
import sys
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parent / "requirements.txt"
DEFAULT_VENV = Path(os.environ.get("VEECTOR_REFERENCE_VENV", Path.home() / ".cache/veector/reference-venv"))


def _has_packages():
    try:
        import gguf  # noqa: F401
        import llama_cpp  # noqa: F401
        import numpy  # noqa: F401
        return True
    except ImportError:
        return False


def ensure(venv=None):
    """Returns when the packages import; otherwise creates/uses `venv` and re-executes this script in it."""
    if _has_packages():
        return
    venv = Path(venv) if venv else DEFAULT_VENV
    python = venv / "bin" / "python"
    if Path(sys.prefix).resolve() == venv.resolve():
        sys.exit(f"reference_venv: {venv} exists but cannot import llama_cpp/gguf/numpy; "
                 f"run `{python} -m pip install -r {REQUIREMENTS}` and read its error")
    if not python.exists():
        print(f"reference_venv: creating {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run([str(python), "-c", "import llama_cpp, gguf, numpy"], capture_output=True)
    if probe.returncode != 0:
        print(f"reference_venv: installing {REQUIREMENTS.name} into {venv} (builds llama.cpp, ~8 min)",
              file=sys.stderr)
        env = dict(os.environ)
        env.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", str(min(os.cpu_count() or 1, 2)))
        subprocess.run([str(python), "-m", "pip", "install", "-r", str(REQUIREMENTS)], check=True, env=env)
    os.execv(str(python), [str(python), *sys.argv])
