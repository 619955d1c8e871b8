"""tracegrad.random: random numbers that are part of the program, with explicit keys
(JAX's model and names; see docs/random.md).

A key is a uint32 array of shape (2,) that names a stream: the same key always gives the
same numbers, eager or compiled, so a function draws from keys it is passed — a new key
per call for fresh numbers — never from hidden state. `split` and `fold_in` make new
keys; every distribution is made of `bits`, which is one primitive (threefry2x32) that
compiled code computes in its loops. The streams are JAX's (Threefry-2x32, as with
jax_threefry_partitionable, JAX's default): the bits of a seed are JAX's, and floats
equal JAX's with 64-bit types enabled, to rounding. Default float dtype: float64, as
NumPy."""
from .continuous import gumbel, normal, truncated_normal, uniform
from .discrete import bernoulli, categorical, permutation, randint
from .keys import PRNGKey, bits, fold_in, key, key_data, split

__all__ = ["key", "PRNGKey", "key_data", "split", "fold_in", "bits", "uniform", "normal",
           "truncated_normal", "gumbel", "bernoulli", "categorical", "randint",
           "permutation"]
