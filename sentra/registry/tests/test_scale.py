from sentra.registry.scale import MILIAR, business_scale, industry_class


def test_pp_7_2021_capital_bands():
    assert business_scale(investment=1 * MILIAR, annual_turnover=None) == "mikro"
    assert business_scale(investment=1 * MILIAR + 1, annual_turnover=None) == "kecil"
    assert business_scale(investment=5 * MILIAR + 1, annual_turnover=None) == "menengah"
    assert business_scale(investment=10 * MILIAR + 1, annual_turnover=None) == "besar"


def test_turnover_decides_only_without_investment():
    assert business_scale(investment=None, annual_turnover=3 * MILIAR) == "kecil"
    assert business_scale(investment=0, annual_turnover=30 * MILIAR) == "mikro"
    assert business_scale(investment=None, annual_turnover=None) == ""


def test_permenperin_industry_class():
    assert industry_class(workers=19, investment=MILIAR - 1) == "kecil"
    assert industry_class(workers=19, investment=MILIAR) == "menengah"
    assert industry_class(workers=20, investment=15 * MILIAR) == "menengah"
    assert industry_class(workers=20, investment=15 * MILIAR + 1) == "besar"
