"""Layer normalisation over the last axis (with scale and shift) followed by the tanh
approximation of GELU; loss = mean of the output; gradient with respect to the input,
the scale and the shift. Input size x 1024."""
import math

from .base import Workload

FEATURES = 1024
EPS = 1e-5
GELU_C = math.sqrt(2.0 / math.pi)


def make_inputs(size, dtype, rng):
    x = rng.standard_normal((size, FEATURES)).astype(dtype)
    gamma = (1.0 + 0.1 * rng.standard_normal(FEATURES)).astype(dtype)
    beta = (0.1 * rng.standard_normal(FEATURES)).astype(dtype)
    return (x, gamma, beta),


def make_loss(xp, size):
    def loss(params):
        x, gamma, beta = params
        mu = xp.mean(x, axis=-1, keepdims=True)
        centered = x - mu
        var = xp.mean(centered * centered, axis=-1, keepdims=True)
        y = centered / xp.sqrt(var + EPS) * gamma + beta
        gelu = 0.5 * y * (1.0 + xp.tanh(GELU_C * (y + 0.044715 * y * y * y)))
        return xp.mean(gelu)
    return loss


def make_torch_loss(torch, size):
    def loss(params):
        x, gamma, beta = params
        mu = torch.mean(x, dim=-1, keepdim=True)
        centered = x - mu
        var = torch.mean(centered * centered, dim=-1, keepdim=True)
        y = centered / torch.sqrt(var + EPS) * gamma + beta
        gelu = 0.5 * y * (1.0 + torch.tanh(GELU_C * (y + 0.044715 * y * y * y)))
        return torch.mean(gelu)
    return loss


WORKLOAD = Workload(
    name="layernorm_gelu",
    description="layernorm then tanh-GELU, input size x 1024",
    size_name="rows",
    quick_sizes=(4096,),
    full_sizes=(4096,),
    dtype="float32",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
)
