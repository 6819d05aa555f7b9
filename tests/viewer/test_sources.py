"""What a visitor reads of a fact: dated by its source, relative years made absolute."""

from assets.dataset import load_campus
from viewer.sources import absolute_years, citation, source_of, visitor_text


def test_every_dated_fact_shows_its_date_and_no_relative_year():
    for fact in load_campus().facts.values():
        text = visitor_text(fact)
        if source_of(fact).date is None:
            continue
        assert text["en"].startswith("As of "), fact.id
        assert text["zh"].startswith("截至"), fact.id
        assert not any(w in text["zh"] for w in ("明年", "今年", "去年")), fact.id


def test_next_year_of_the_2024_article_is_2025():
    facts = load_campus().facts
    assert "2025年年底具备竣工验收条件" in visitor_text(facts["F5"])["zh"]
    assert visitor_text(facts["F5"])["en"].startswith("As of September 2024: ")
    assert visitor_text(facts["F7"])["zh"].startswith("截至2024年9月:")
    assert "2024年下半年启动装修" in visitor_text(facts["F7"])["zh"]
    assert (
        absolute_years("Operation next year, fit-out this year.", 2024)
        == "Operation 2025, fit-out 2024."
    )


def test_a_citation_names_the_source_and_its_date_not_only_the_id():
    f5 = load_campus().facts["F5"]
    assert citation(f5) == {
        "id": "F5",
        "source": "Shanghai Municipal People's Government",
        "date": "2024-09-12",
        "href": "/facts/F5",
    }
