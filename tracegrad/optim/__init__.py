"""tracegrad.optim: optimizers as PyTorch's stateful objects on tensors (SGD, Adam,
AdamW, RMSprop) and as optax-like pure transformations on pytrees of arrays (sgd, adam,
adamw, rmsprop: init/update, usable inside tg.compile), sharing one set of update
rules; learning-rate schedules (step, cosine, linear warmup)."""
from . import lr_scheduler
from .optimizer import SGD, Adam, AdamW, Optimizer, RMSprop
from .schedules import constant_schedule, cosine_schedule, linear_warmup, step_schedule
from .transforms import (GradientTransformation, adam, adamw, apply_updates, rmsprop, sgd)

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "lr_scheduler", "sgd", "adam",
           "adamw", "rmsprop", "apply_updates", "GradientTransformation",
           "constant_schedule", "step_schedule", "cosine_schedule", "linear_warmup"]
