import pytest

from civicgrid.territory.choices import Level
from civicgrid.territory.codes import code_length, code_problem, level_of_code, parent_code


def test_codes_have_the_lengths_of_domain_md():
    assert [code_length(level) for level in Level] == [6, 9, 12, 15]


def test_grid_sequence_width_is_configurable(settings):
    settings.GRID_SEQUENCE_WIDTH = 2
    assert code_length(Level.GRID) == 14
    assert level_of_code("21011200100101") == Level.GRID


def test_parent_code_is_the_prefix():
    assert parent_code("210112001001007") == "210112001001"
    assert parent_code("210112001") == "210112"
    assert parent_code("210112") is None


@pytest.mark.parametrize(
    ("code", "level", "parent", "reason"),
    [
        ("21011A", Level.DISTRICT, None, "digits only"),
        ("210000", Level.DISTRICT, None, "province code"),
        ("2101120010", Level.STREET, "210112", "has 9 digits"),
        ("210113001", Level.STREET, "210112", "does not continue"),
        ("210112000", Level.STREET, "210112", "between"),
        ("210112001400", Level.COMMUNITY, "210112001", "between"),
        ("210112001001000", Level.GRID, "210112001001", "between"),
    ],
)
def test_malformed_codes_are_explained(code, level, parent, reason):
    assert reason in code_problem(code, level, parent)


def test_well_formed_codes_pass():
    assert code_problem("210112", Level.DISTRICT, None) is None
    assert code_problem("210112015", Level.STREET, "210112") is None
    assert code_problem("210112015201", Level.COMMUNITY, "210112015") is None  # 村委会 200–399
    assert code_problem("210112015201999", Level.GRID, "210112015201") is None
