"""Put the interpreter's global state back to what a fresh ``python`` has.

Importing torch once and resetting what snippets can change is what lets the
whole doc-test run cost little more than one torch import, while each block
still behaves as if pasted into a new interpreter.
``tests/test_docharness_fresh_process.py`` checks this equivalence against real
fresh processes.
"""

from __future__ import annotations

import random
import sys
import warnings

_WARNING_FILTERS = list(warnings.filters)
_NUMPY_PRINT_OPTIONS: dict | None = None


def remember_defaults() -> None:
    """Record defaults that can only be read, not recomputed, before any block runs."""
    global _NUMPY_PRINT_OPTIONS
    import numpy

    _NUMPY_PRINT_OPTIONS = numpy.get_printoptions()


def reset() -> None:
    """Reset random generators, print options, grad mode and warning filters."""
    random.seed()
    warnings.filters[:] = _WARNING_FILTERS
    warnings._filters_mutated()  # type: ignore[attr-defined]  # forget "already shown" warnings
    if "numpy" in sys.modules:
        import numpy

        numpy.random.seed(None)
        if _NUMPY_PRINT_OPTIONS is not None:
            numpy.set_printoptions(**_NUMPY_PRINT_OPTIONS)
    if "torch" in sys.modules:
        import torch

        torch.seed()  # a fresh process seeds from the OS, so unseeded output never repeats
        torch.set_printoptions(profile="default", sci_mode=None)
        torch.set_default_dtype(torch.float32)
        torch.set_grad_enabled(True)
        torch.autograd.set_detect_anomaly(False)
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib
        import matplotlib.pyplot as plt

        plt.close("all")
        backend = matplotlib.get_backend()
        matplotlib.rcdefaults()
        matplotlib.use(backend)
