"""`twin leasing brochure`: the PDF a prospect takes away, written from a terminal."""

from __future__ import annotations

from cli_runner import twin
from pdf_text import pdf_text


def test_a_floor_brochure_in_english_and_refusals_naming_what_was_wrong(tmp_path):
    db = ("--db", str(tmp_path / "twin.db"))
    out = tmp_path / "floor.pdf"
    made = twin(
        "leasing", "brochure", "office-building/L12", "--lang", "en", "--out", str(out), *db
    )
    assert made.returncode == 0, made.stderr
    text = pdf_text(out.read_bytes())
    assert "office-building/L12" in text and "Floor plan" in text and "Leasable area" in text
    assert "Rent and terms on request" in text and "sample-" not in text
    wrong = twin("leasing", "brochure", "office-building", "--lang", "fr", "--out", "x.pdf", *db)
    assert wrong.returncode == 1 and "unknown --lang 'fr'" in wrong.stderr
    missing = twin("leasing", "brochure", "office-building/L99", "--out", "x.pdf", *db)
    assert missing.returncode == 1 and "'office-building/L99'" in missing.stderr
