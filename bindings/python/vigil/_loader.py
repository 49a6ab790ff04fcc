"""Finding and loading libvigil.so.

Search order:
  1. the ``VIGIL_LIBRARY`` environment variable (a path to the library file);
  2. the package's own folder (``libvigil.so`` installed beside this file);
  3. the system loader (``libvigil.so.0`` / ``libvigil.so`` on the library path).
The error names every place that was tried.
"""
from __future__ import annotations

import ctypes
import glob
import os
from typing import List

_HERE = os.path.dirname(os.path.abspath(__file__))


class LibraryNotFound(ImportError):
    """libvigil.so could not be loaded from any of the places tried."""


def _candidates() -> List[str]:
    found: List[str] = []
    env = os.environ.get("VIGIL_LIBRARY")
    if env:
        found.append(env)
    local = sorted(glob.glob(os.path.join(_HERE, "libvigil.so*")), key=len)
    found.extend(local or [os.path.join(_HERE, "libvigil.so")])
    found.extend(["libvigil.so.0", "libvigil.so"])
    return found


def load_library() -> ctypes.CDLL:
    """Loads libvigil.so, or raises LibraryNotFound naming the places tried."""
    tried = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            origin = ("$VIGIL_LIBRARY" if path == os.environ.get("VIGIL_LIBRARY")
                      else "package folder" if path.startswith(_HERE) else "system loader")
            tried.append(f"  {path} ({origin}): {e}")
    raise LibraryNotFound(
        "libvigil.so was not found. Set VIGIL_LIBRARY to its path, install the package "
        "with scripts/install_python.sh, or put it on the library path. Tried:\n"
        + "\n".join(tried))
