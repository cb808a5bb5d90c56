"""Imported by the worker pool's forkserver before it forks any worker.

Loading the model here, once, means every worker starts with it in memory (shared
copy-on-write) instead of each reading and decoding the model file itself.
"""

from __future__ import annotations

import gc
import os

from pipeline.classify.lexicon import prepare_cue_analysis
from pipeline.classify.registry import load_classifier
from pipeline.errors import CybernormsError
from pipeline.parallel import PRELOAD_ENV_VAR

_spec = os.environ.get(PRELOAD_ENV_VAR)
if _spec:
    try:
        load_classifier(_spec)
    except CybernormsError:
        pass  # the worker that needs it reports the problem with the file's name
    prepare_cue_analysis()

# Everything loaded so far lives as long as the process: keep it out of the garbage
# collector's scans, in the forkserver and in every worker forked from it (faster
# collections, fewer copy-on-write page copies, and a faster exit of the forkserver).
gc.freeze()
