"""The Word writers add paragraphs and table cells in constant time, and write exactly what python-docx's own
``add_paragraph`` and ``cell.text`` write (tabs, line breaks, edge spaces and empty texts included)."""

from __future__ import annotations

import docx
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from workbench.formats.docx import paragraph_adder
from workbench.formats.review_table import _fill_cell

texts = st.text(alphabet="ab \t\n\r中。", max_size=12)
styles = st.sampled_from([None, "Heading 2", "List Bullet", "Caption"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(texts, styles), max_size=12))
def test_paragraphs_as_python_docx_adds_them(items):
    theirs, ours = docx.Document(), docx.Document()
    add = paragraph_adder(ours)
    for text, style in items:
        theirs.add_paragraph(text, style=style)
        add(text, style)
    assert etree.tostring(ours.element) == etree.tostring(theirs.element)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(texts, texts, texts, texts), min_size=1, max_size=6))
def test_review_cells_as_python_docx_fills_them(rows):
    theirs, ours = docx.Document(), docx.Document()
    a = theirs.add_table(rows=len(rows), cols=4)
    b = ours.add_table(rows=len(rows), cols=4)
    for n, row in enumerate(rows):
        for col, text in enumerate(row):
            a.cell(n, col).text = text
    for tr, row in zip(b._tbl.tr_lst, rows, strict=True):
        for tc, text in zip(tr.tc_lst, row, strict=True):
            _fill_cell(tc, text)
    assert etree.tostring(ours.element) == etree.tostring(theirs.element)
