"""A project gives back every draft's term ledger and forcing cost exactly as it was stored (real SQLite)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.records import Draft, TermHow, TermLedger
from workbench.store.project import Project
from workbench.text.model import Document, Paragraph

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_ledgers = st.lists(st.builds(TermLedger, _text, st.sampled_from(list(TermHow)), _text), max_size=6)
_costs = st.one_of(st.none(), st.floats(min_value=0, max_value=1e6, allow_nan=False))


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(drafts=st.lists(st.tuples(_text, _ledgers, _costs), min_size=1, max_size=3))
def test_any_ledger_round_trips_through_the_project(drafts):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.wbproj"
        segs = tuple(f"第{i}句。" for i in range(len(drafts)))
        with Project.open(path, create=True) as p:
            p.add_document(Document(str(Path(folder) / "a.txt"), "utf-8", "simplified",
                                    (Paragraph(0, "body", "".join(segs), (1, 1), segs),)))  # fmt: skip
            ids = [s.id for s in p.segments()]
            p.set_drafts(
                [(sid, Draft(text, -1.0, 3, ledger=list(ledger), cost=cost), None)
                 for sid, (text, ledger, cost) in zip(ids, drafts, strict=True)]
            )  # fmt: skip
        with Project.open(path, readonly=True) as p:
            back = p.segments()
        for seg, (text, ledger, cost) in zip(back, drafts, strict=True):
            assert (seg.draft, list(seg.ledger)) == (text, ledger)
            assert seg.cost == (cost if ledger else None)  # a cost is kept only with the ledger it belongs to
