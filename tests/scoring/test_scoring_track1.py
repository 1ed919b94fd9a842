from decimal import Decimal

from humdial.scoring.track1 import Components, display, language_final, overall_final, ranking, reproduce_published


def test_every_published_final_reproduces():
    rows = reproduce_published()
    assert len(rows) == 16 + 8
    assert [r for r in rows if r.status == "mismatch"] == []
    ties = {(r.team, r.scope) for r in rows if r.status == "tie"}
    # Both are exactly halfway from the published (rounded) components; published went down.
    assert ties == {("TeleAI", "zh"), ("BJTU_Unisound_team", "zh")}
    assert all(r.status == "exact" for r in rows if r.scope == "overall")


def test_published_ranking_order_reproduces():
    rows = [r for r in reproduce_published() if r.scope == "overall"]
    order = ranking({r.team: r.computed for r in rows})
    assert [team for team, _ in order] == [r.team for r in rows]
    assert [value for _, value in order] == [r.published for r in rows]


def test_overall_uses_unrounded_language_finals():
    # Baseline: zh 3.1975 and en 2.4465 -> 2.822 -> 2.82 (rounded finals 3.20/2.45 would give 2.83).
    zh = language_final(Components(Decimal("3.21"), Decimal("3.25"), Decimal("3.28"), Decimal("3.00"), Decimal("3.31")))
    en = language_final(Components(Decimal("2.03"), Decimal("2.22"), Decimal("2.19"), Decimal("2.70"), Decimal("2.81")))
    assert zh == Decimal("3.1975") and en == Decimal("2.4465")
    assert display(overall_final({"zh": zh, "en": en})) == 2.82


def test_components_from_dims_and_half_up():
    c = Components.from_dims([5, 5, 5], [3, 3, 3], 4, 4, 4)
    assert language_final(c) == Decimal("4.0")
    assert display(Decimal("2.345")) == 2.35
