"""Imported by the worker pool's forkserver before it forks any worker.

Loading the model here, once, means every worker starts with it in memory (shared
copy-on-write) instead of each reading and decoding the model file itself.
"""

from __future__ import annotations

import os

from pipeline.classify.registry import load_classifier
from pipeline.errors import CybernormsError
from pipeline.parallel import PRELOAD_ENV_VAR

_spec = os.environ.get(PRELOAD_ENV_VAR)
if _spec:
    try:
        load_classifier(_spec)
    except CybernormsError:
        pass  # the worker that needs it reports the problem with the file's name
