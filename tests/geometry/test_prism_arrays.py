"""Prisms built with numpy are the prisms trimesh extrudes: holes, concave and clockwise rings."""

import pytest
import shapely
import trimesh
from mesh_equivalence import assert_same_mesh
from shapely.geometry import Polygon

from geometry.extrude import prism, prism_arrays

SQUARE_WITH_HOLES = (
    shapely.box(0, 0, 30, 30)
    .difference(shapely.box(2, 2, 5, 5))
    .difference(shapely.box(10, 10, 20, 20))
)
POLYGONS = {
    "box": shapely.box(100, 200, 160, 240),
    "concave": Polygon([(0, 0), (10, 0), (10, 10), (5, 4), (0, 10)]),
    "clockwise": Polygon([(0, 0), (0, 10), (10, 10), (10, 0)]),
    "one hole": shapely.box(0, 0, 30, 30).difference(shapely.box(10, 10, 20, 20)),
    "two holes": SQUARE_WITH_HOLES,
    "round": shapely.Point(0, 0).buffer(10),
    "repeated vertex": Polygon([(0, 0), (10, 0), (10, 0), (10, 10), (0, 10)]),
}


@pytest.mark.parametrize("name", POLYGONS)
@pytest.mark.parametrize(("base", "top"), [(0.0, 3.5), (4.2, 7.85), (-0.7, -0.2)])
def test_a_prism_is_trimeshs_extrusion(name: str, base: float, top: float) -> None:
    polygon = POLYGONS[name]
    reference = trimesh.creation.extrude_polygon(polygon, top - base)
    reference.apply_translation((0.0, 0.0, base))
    arrays = prism_arrays(polygon, base, top)
    built = trimesh.Trimesh(arrays.vertices, arrays.faces, process=False)
    assert_same_mesh(built, reference, name)
    assert built.volume == pytest.approx(polygon.area * (top - base), rel=1e-9)


def test_lifted_copies_are_raised_and_independent() -> None:
    arrays = prism_arrays(POLYGONS["one hole"], 0.0, 3.0)
    low, high = arrays.lifted(0.0), arrays.lifted(30.0)
    assert high.bounds[:, 2].tolist() == [30.0, 33.0]
    high.faces[0] = high.faces[0][::-1]  # changing one copy changes neither the other nor the prism
    assert (low.faces == arrays.faces).all()
    assert_same_mesh(low, prism(POLYGONS["one hole"], 0.0, 3.0))


@pytest.mark.parametrize(
    ("polygon", "base", "top", "message"),
    [
        (shapely.box(0, 0, 1, 1), 3.0, 3.0, "above its base"),
        (Polygon([(0, 0), (1, 1), (2, 2)]), 0.0, 1.0, "without area"),
    ],
)
def test_bad_prisms_are_refused(polygon: Polygon, base: float, top: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        prism_arrays(polygon, base, top)
