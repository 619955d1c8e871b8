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


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_primitive_has_batching_rule(name):
    from tracegrad.autodiff.batching import BATCH_RULES
    assert name in BATCH_RULES, f"{name}: no batching rule (vmap)"


def _tables():
    from tracegrad.autodiff.batching import BATCH_RULES
    from tracegrad.autodiff.derivatives import UNARY_DERIVATIVES
    from tracegrad.codegen import complex_split, cost, emit_table
    return {"complex split": complex_split.RULES, "partwise": complex_split.PARTWISE,
            "VJP": VJP_RULES, "non-differentiable": NON_DIFFERENTIABLE,
            "JVP": JVP_RULES, "unary derivatives": UNARY_DERIVATIVES,
            "batching": BATCH_RULES,
            "emit": emit_table.TABLE, "emit costs": emit_table.COST,
            "structural costs": cost.STRUCTURAL_COST}


@pytest.mark.parametrize("table", sorted(_tables()))
def test_every_name_in_a_table_is_a_primitive(table):
    """A typo in any rule table is an error, not a silent default."""
    unknown = sorted(set(_tables()[table]) - set(PRIMITIVES))
    assert not unknown, f"{table} table names no primitive: {unknown}"


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_primitive_has_code_generation(name):
    from tracegrad.codegen import complex_split, cost, emit_table
    from tracegrad.ir import kinds
    prim = PRIMITIVES[name]
    if name in complex_split.COMPLEX_ONLY:
        assert name in complex_split.RULES, f"{name}: no complex split rule"
    elif prim.kind == kinds.ELEMENTWISE:
        assert name in emit_table.TABLE, f"{name}: no emit rule"
    elif prim.kind in (kinds.VIEW, kinds.LOAD, kinds.IOTA):
        assert name in cost.STRUCTURAL_COST, f"{name}: no cost"
    else:
        assert prim.kind in emit_table.SUPPORTED_KINDS + (kinds.CALL,)
