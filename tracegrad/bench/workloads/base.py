"""What a workload is: inputs, one NumPy-style loss, and its peers' equivalents."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional


@dataclass(frozen=True)
class Workload:
    """One benchmark problem.

    The loss is written once, against a NumPy-like namespace `xp` (tracegrad.numpy for
    tracegrad; jax.numpy and autograd.numpy run the very same source). PyTorch's API
    differs enough that it gets an equivalent function of its own; NumPy gets a
    hand-written gradient where a user would write one.

    Every loss has the form loss(params, *data): the gradient (Jacobian, Hessian) is
    taken with respect to `params` (an array or a dict/tuple/list of arrays), never the
    data. A per_example_grad loss is the loss of one example, batched by vmap."""

    name: str
    description: str
    size_name: str                      # what the size number means ("n", "batch", ...)
    quick_sizes: tuple[int, ...]
    full_sizes: tuple[int, ...]
    dtype: str                          # default dtype; --dtype overrides it
    make_inputs: Callable               # (size, dtype, rng) -> (params, *data) as NumPy
    make_loss: Callable                 # (xp, size) -> loss(params, *data)
    make_torch_loss: Callable           # (torch, size) -> loss(params, *data)
    numpy_value_and_grad: Optional[Callable] = None   # (params, *data) -> (value, grad)
    # "value_and_grad": the measured call returns (value, gradient).
    # "train_step": it returns (value, params - learning_rate * gradient).
    # "per_example_grad": vmap(grad(loss), in_axes): one gradient per example.
    # "jacobian": jacrev(f), f(params, *data) an array. "hessian": hessian(f).
    # The last three return the derivative alone (no value); see KINDS.
    kind: str = "value_and_grad"
    # per_example_grad: vmap's in_axes over (params, *data); None: shared, 0: batched.
    in_axes: Optional[tuple] = None
    learning_rate: float = 0.01
    # What the steady-state figure means, when it is not just "one call".
    note: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    # Peers that cannot run it, and why (the bench still runs them and shows their error).
    known_failures: dict = field(default_factory=dict)
    # Measured without compiling: tracegrad runs its eager value_and_grad (the other
    # systems run as always; JAX stays jitted, the compiled figure beside eager ones).
    eager: bool = False
    # In the suite run without --workloads; False: only when named (--workloads).
    in_default_suite: bool = True

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"workload {self.name}: unknown kind {self.kind!r}; "
                             f"one of {', '.join(KINDS)}")
        if self.kind == "per_example_grad" and self.in_axes is None:
            raise ValueError(f"workload {self.name}: per_example_grad needs in_axes")

    def sizes(self, quick: bool) -> tuple[int, ...]:
        return self.quick_sizes if quick else self.full_sizes

    @property
    def returns_value(self) -> bool:
        """Whether the measured call returns (value, tree) rather than a tree alone."""
        return self.kind in VALUE_KINDS


VALUE_KINDS = ("value_and_grad", "train_step")
KINDS = VALUE_KINDS + ("per_example_grad", "jacobian", "hessian")


def eager_workload(**fields) -> Workload:
    """A float64 workload differentiated without compile (`eager=True`): tracegrad's
    eager value_and_grad against autograd and torch, JAX jitted for scale."""
    fields.setdefault("note", "per gradient, eager (no compile)")
    return Workload(dtype="float64", tags=("eager",), eager=True, **fields)
