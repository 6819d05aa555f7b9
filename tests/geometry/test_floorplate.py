import pytest
import shapely
from shapely.geometry import Polygon

from geometry.floorplate import FloorLayout, subdivide
from geometry.shapes import rectangle


@pytest.mark.parametrize(
    "plate",
    [
        rectangle((0, 0), 60, 40),
        rectangle((500, -200), 80.6, 50.4, angle_deg=12),
        Polygon([(0, 0), (50, 0), (60, 20), (50, 40), (0, 40), (-10, 20)]),  # hexagon
    ],
    ids=["rectangle", "rotated", "hexagon"],
)
def test_units_and_core_tile_the_plate_without_overlap(plate):
    layout = FloorLayout(depth=12, bay_width=16)
    cut = subdivide(plate, layout)
    assert len(cut.units) >= len(plate.exterior.coords) - 1
    for unit in cut.units:
        assert unit.is_valid and unit.area > 0
        assert plate.buffer(1e-6).contains(unit)
        assert unit.intersection(cut.core).area < 1e-6
    overlap = sum(u.area for u in cut.units) - shapely.union_all(cut.units).area
    assert overlap < 1e-6
    assert sum(u.area for u in cut.units) + cut.core.area == pytest.approx(plate.area)


def test_units_line_the_facade_and_the_core_is_central():
    plate = rectangle((0, 0), 60, 40)
    cut = subdivide(plate, FloorLayout(depth=12, bay_width=15))
    assert cut.core.centroid.distance(plate.centroid) < 1e-6
    assert cut.core.area == pytest.approx((60 - 24) * (40 - 24))
    assert all(u.intersects(plate.exterior) for u in cut.units)
    assert len(cut.units) == 4 + 3 + 4 + 3  # bays of ~15 m along 60 m and 40 m sides


def test_plate_too_small_for_its_depth_is_refused():
    with pytest.raises(ValueError, match="too small"):
        subdivide(rectangle((0, 0), 20, 20), FloorLayout(depth=12))


def test_concave_plate_is_refused():
    l_shape = Polygon([(0, 0), (60, 0), (60, 20), (20, 20), (20, 60), (0, 60)])
    with pytest.raises(ValueError, match="not convex"):
        subdivide(l_shape, FloorLayout())
