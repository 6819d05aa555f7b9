import pytest
import shapely

from geometry.extrude import flat_plate, prism
from geometry.index import SpatialIndex
from geometry.shapes import rectangle, rectangle_of_area, scale_to_area


def test_spatial_index_answers_points_and_boxes():
    index = SpatialIndex([("a", shapely.box(0, 0, 10, 10)), ("b", shapely.box(20, 0, 30, 10))])
    assert index.at_point(5, 5) == ["a"]
    assert index.at_point(15, 5) == []
    assert index.in_bbox(5, 5, 25, 6) == ["a", "b"]
    assert len(index) == 2
    with pytest.raises(ValueError, match="min <= max"):
        index.in_bbox(10, 0, 0, 10)


def test_prism_is_watertight_with_exact_volume():
    footprint = rectangle((100, 100), 60, 40, angle_deg=30)
    mesh = prism(footprint, 4.2, 34.2)
    assert mesh.is_watertight and mesh.is_winding_consistent
    assert mesh.volume == pytest.approx(2400 * 30, rel=1e-9)
    assert mesh.bounds[0][2] == pytest.approx(4.2) and mesh.bounds[1][2] == pytest.approx(34.2)
    assert flat_plate(footprint, 0.0).is_watertight
    with pytest.raises(ValueError, match="above its base"):
        prism(footprint, 10, 10)


def test_sizing_helpers_hit_their_areas():
    assert rectangle_of_area((0, 0), 4062.5, 1.6).area == pytest.approx(4062.5)
    assert scale_to_area(shapely.box(0, 0, 3, 7), 6_950_000).area == pytest.approx(6_950_000)
