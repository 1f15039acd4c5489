"""tilmatch from Python: TCRdist and TCRMatch on pandas DataFrames, and the CLI's subcommands.

The numbers are the CLI's: every function calls the C++ library the ``tilmatch`` command calls
(``tilmatch._core``). DataFrames use tcrdist3's TCRrep column names (``cdr3_b_aa, v_b_gene,
j_b_gene, cdr3_a_aa, v_a_gene, j_a_gene``, optional ``count``; ``clone_id`` or the index as ids).
See docs/python.md.
"""

from ._core import (  # noqa: F401
    DeviceError,
    Error,
    InputError,
    IoError,
    UsageError,
    __version__,
    cuda_built,
)
from ._api import RunResult, neighbors, predict, run, search, tcrdist  # noqa: F401

__all__ = [
    "tcrdist",
    "search",
    "neighbors",
    "predict",
    "run",
    "RunResult",
    "Error",
    "InputError",
    "UsageError",
    "IoError",
    "DeviceError",
    "cuda_built",
    "__version__",
]
