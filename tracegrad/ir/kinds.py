"""The one vocabulary of primitive kinds. A kind says what a primitive is to every pass
and to code generation (where it sits in a kernel); every layer imports these names and
none spells them.

  ELEMENTWISE  a function of its operands at one point: unary and binary math,
               comparisons, select, convert (operands broadcast NumPy-style)
  VIEW         broadcast_in_dim, reshape, transpose, slice: index arithmetic only
  LOAD         pad, concatenate, gather, dynamic_slice, dynamic_update_slice: reads at
               computed indices
  IOTA         a function of the index only
  REDUCE       reduce_sum/prod/max/min over some axes
  ARGREDUCE    argmax/argmin along one axis
  SCAN         cumulative sum/product along one axis
  DOT          dot_general
  SCATTER      scatter_add
  SORT         sort (values and permutation)
  CALL         a call of a sub-graph (custom_vjp_call, custom_jvp_call, checkpoint),
               inlined before codegen
  CALLBACK     a call of Python on concrete arrays (pure_callback): an opaque kernel of
               its own, like a BLAS call, whose operands and results live in memory
  LINALG       a matrix decomposition or triangular solve (cholesky, lu, eigh, svd,
               qr, ...): a kernel of its own that calls LAPACK on copies of its operands
  CONTROL      structured control flow over sub-graphs: cond, scan, while; compiled to
               branches and loops around the sub-graphs' own kernels"""
ELEMENTWISE = "elementwise"
VIEW = "view"
LOAD = "load"
IOTA = "iota"
REDUCE = "reduce"
ARGREDUCE = "argreduce"
SCAN = "scan"
DOT = "dot"
SCATTER = "scatter"
SORT = "sort"
CALL = "call"
CALLBACK = "callback"
LINALG = "linalg"
CONTROL = "control"

KINDS = (ELEMENTWISE, VIEW, LOAD, IOTA, REDUCE, ARGREDUCE, SCAN, DOT, SCATTER, SORT, CALL, CALLBACK, LINALG,
         CONTROL)
# Computed inside whatever loop needs them (unless stored).
FUSIBLE = (ELEMENTWISE, VIEW, LOAD, IOTA)
# Computed by a loop nest over an iteration space (fusible, or a loop's root).
LOOP = FUSIBLE + (REDUCE, ARGREDUCE, SCAN)
