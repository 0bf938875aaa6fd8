"""Offline switches: nothing this package runs may reach a network.

Hugging Face libraries (transformers, sentence-transformers, huggingface_hub) look up models on the
hub unless told not to; their environment switches are set before any of them is imported, so that a
missing local model is an error, never a download. Imported first by ``pop_review/__init__.py``.
"""

from __future__ import annotations

import os

for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "TOKENIZERS_PARALLELISM": "false",
    # progress bars on stderr would mix with the CLI's own output
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TQDM_DISABLE": "1",
}.items():
    os.environ.setdefault(_name, _value)
