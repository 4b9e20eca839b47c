"""Multi-column newspaper PDFs (reportlab, STSong-Light) rebuild to the paragraphs of their source."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paragraph_fixtures import f1
from tests.pdf_fixtures import boundary_counts
from tests.source_fixtures import flores_pdf_pages
from workbench.formats.sources import load_source
from workbench.jobs.translate import document_segments


@pytest.mark.slow
def test_multi_column_pages_rebuild_to_their_paragraphs(tmp_path: Path) -> None:
    tp = fp = fn = 0
    columns = set()
    for seed in range(6):
        path = tmp_path / f"page{seed}.pdf"
        pages = flores_pdf_pages(path, seed)
        columns.update(p.columns for p in pages)
        doc = load_source(path)
        t, p, n, same = boundary_counts(pages, doc)
        assert same, f"seed {seed}: the reading order lost or reordered text"
        tp, fp, fn = tp + t, fp + p, fn + n
    assert columns == {2, 3, 4}
    assert f1(tp, fp, fn)[2] >= 0.98, (tp, fp, fn)


def test_headline_caption_and_page_furniture(tmp_path: Path) -> None:
    path = tmp_path / "page.pdf"
    pages = flores_pdf_pages(path, 11, n_pages=2)
    doc = load_source(path)
    kinds = {str(p.kind): [] for p in doc.paragraphs}
    for p in doc.paragraphs:
        kinds[str(p.kind)].append(p.text)
    assert kinds["heading"] == [p.headline for p in pages]
    assert kinds["caption"] == [" ".join(p.captions[0].split()) for p in pages]
    assert kinds["header"] == [" ".join(p.header.split()) for p in pages]
    assert kinds["footer"] == [p.footer for p in pages]
    # Page furniture is shown but not sent to MT.
    sources = [s for _, _, s in document_segments(doc)]
    assert not any("星期三" in s or s[:1] == "—" for s in sources)
    body = [p for p in doc.paragraphs if p.kind == "body"]
    assert len(body) == sum(len(p.paragraphs) for p in pages)
