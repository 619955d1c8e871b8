"""Every primitive has an entry in every transformation's table (or is explicitly marked
non-differentiable): a new primitive cannot silently lack a rule."""
import pytest

import tracegrad  # noqa: F401  (registers everything)
from tracegrad.autodiff import NON_DIFFERENTIABLE, VJP_RULES
from tracegrad.autodiff.jvp_rules import JVP_RULES
from tracegrad.ir import PRIMITIVES


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_primitive_has_vjp_rule_or_is_marked_nondifferentiable(name):
    assert (name in VJP_RULES) != (name in NON_DIFFERENTIABLE), \
        f"{name}: needs exactly one of a VJP rule or a non-differentiable mark"


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_primitive_has_shape_rule_and_reference(name):
    prim = PRIMITIVES[name]
    assert callable(prim.abstract) and callable(prim.impl)


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_primitive_has_jvp_rule_or_is_marked_nondifferentiable(name):
    assert (name in JVP_RULES) != (name in NON_DIFFERENTIABLE), \
        f"{name}: needs exactly one of a JVP rule or a non-differentiable mark"
