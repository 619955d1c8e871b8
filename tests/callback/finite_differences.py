"""Central finite differences in float64: the oracle for derivatives."""
import numpy as np


def numeric_grad(f, args, argnum, eps=1e-6):
    """d f(*args) / d args[argnum], one central difference per element."""
    x = np.array(args[argnum], dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        shifted = []
        for sign in (1.0, -1.0):
            moved = x.copy()
            moved[i] += sign * eps
            full = list(args)
            full[argnum] = moved
            shifted.append(float(f(*full)))
        grad[i] = (shifted[0] - shifted[1]) / (2 * eps)
    return grad
