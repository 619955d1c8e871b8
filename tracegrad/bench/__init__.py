"""`tracegrad bench`: workloads written once in NumPy style, run by tracegrad and by its
peers (NumPy with hand-written gradients, JAX, PyTorch, autograd), timed side by side.

Layout: `workloads/` (one file per workload), `systems/` (one adapter per system),
`measure.py` (timing and memory), `worker.py` (the measuring subprocess), `suite.py`
(runs the workers and collects rows), `compare.py` (correctness), `report.py`/`table.py`/
`plot.py` (output), `command.py` (the command-line front end). Only tracegrad's public API
is used here."""
