"""jacfwd against jacrev on a wide and a tall function: the timing behind the chapter's count.

The chapter "Higher-order and forward-mode gradients" shows by *counting* that a
Jacobian of a function with few inputs and many outputs needs few forward-mode
passes and many reverse-mode ones, and the other way round. A doc-test cannot
show a time (it differs on every machine), so this script measures one: the
median wall time of ``jacfwd(f)(x)`` divided by that of ``jacrev(f)(x)``, for

* ``wide``: R^n_small -> R^n_large, where forward mode should win (ratio < 1);
* ``tall``: R^n_large -> R^n_small, where reverse mode should win (ratio > 1).

Only the ratios are meant to be compared across machines, and only roughly.

    python benchmarks/bench_jacobian.py [--size N] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence

import torch
from torch.func import jacfwd, jacrev


def median_seconds(fn: Callable[[], torch.Tensor], repeat: int) -> float:
    """The median wall time of *repeat* calls of *fn*, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="the large dimension (1000)")
    parser.add_argument("--small", type=int, default=2, help="the small dimension (2)")
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per row (20)")
    args = parser.parse_args(argv)
    if args.size < 1 or args.small < 1 or args.repeat < 1:
        parser.error("--size, --small and --repeat must be positive")

    torch.manual_seed(0)
    a = torch.randn(args.size, args.small)
    b = torch.randn(args.small, args.size)

    def wide(x: torch.Tensor) -> torch.Tensor:  # R^small -> R^size
        return torch.tanh(a @ x)

    def tall(x: torch.Tensor) -> torch.Tensor:  # R^size -> R^small
        return torch.tanh(b @ x)

    torch.set_num_threads(1)  # steadier numbers on a shared machine
    print(f"torch {torch.__version__}, 1 thread, median of {args.repeat} calls")
    print(f"{'function':<10} {'Jacobian':>12} {'jacfwd ms':>10} {'jacrev ms':>10} {'fwd/rev':>8}")
    for name, f, n_in in (("wide", wide, args.small), ("tall", tall, args.size)):
        x = torch.randn(n_in)
        shape = tuple(jacfwd(f)(x).shape)
        fwd = median_seconds(lambda f=f, x=x: jacfwd(f)(x), args.repeat)
        rev = median_seconds(lambda f=f, x=x: jacrev(f)(x), args.repeat)
        print(f"{name:<10} {shape!s:>12} {fwd * 1e3:>10.3f} {rev * 1e3:>10.3f} {fwd / rev:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
