"""The figures of the Board's reports, computed from the ledger's records: one set of functions, used
by the ledger when it draws a report and shipped as they are in every report's export bundle, where
verify_bundle.py recomputes each figure from the bundle's events alone.

Standard library only, and importing nothing outside this package (relative imports), so that the
package runs unchanged wherever it is copied: ``records`` (the one decoder of stored states),
``days`` (quarters, working days), ``rating`` (the published rule), one module per section, and
``report`` (``draw``, ``named_figures``, ``compare``).
"""

from .records import AGGREGATES, Record, decode_state, make_record, wanted
from .report import (
    FORMAT,
    HEADLINES,
    ORDER,
    QUARTERLY,
    SECTIONS,
    SIX_MONTHLY,
    compare,
    draw,
    named_figures,
    undrawn,
)

__all__ = [
    "AGGREGATES", "FORMAT", "HEADLINES", "ORDER", "QUARTERLY", "SECTIONS", "SIX_MONTHLY", "Record", "compare",
    "decode_state", "draw", "make_record", "named_figures", "undrawn", "wanted",
]
