import pytest
import shapely

from geometry.fish import FishShape, fish_parcels

PARTS = {"head", "body", "tail", "fin_dorsal", "fin_pelvic"}


def test_fish_has_its_parcels_and_they_do_not_overlap():
    parts = fish_parcels()
    assert set(parts) == PARTS
    names = sorted(parts)
    for i, a in enumerate(names):
        assert parts[a].is_valid and parts[a].area > 0
        for b in names[i + 1 :]:
            assert parts[a].intersection(parts[b]).area < 1.0, (a, b)


def test_fish_reads_as_a_fish_from_above():
    shape = FishShape()
    parts = fish_parcels(shape)
    head, body, tail = parts["head"], parts["body"], parts["tail"]
    # Head in front (+x), tail behind, body between; fins above and below the spine.
    assert head.centroid.x > body.centroid.x > 0 > tail.centroid.x
    assert parts["fin_dorsal"].centroid.y > 0 > parts["fin_pelvic"].centroid.y
    # Streamlined: much longer than tall; the head narrows to a nose.
    whole = shapely.union_all(list(parts.values()))
    minx, miny, maxx, maxy = whole.bounds
    assert (maxx - minx) > 1.8 * (maxy - miny)
    nose = shapely.box(shape.length * 0.97, -1e4, 1e4, 1e4)
    assert head.intersection(nose).area < 0.02 * head.area
    # The forked tail has a notch: its rear middle is empty.
    notch = shapely.Point(-shape.tail_length * 0.9, 0)
    assert not tail.contains(notch)
    assert whole.is_valid and whole.geom_type == "Polygon"


def test_placement_moves_rotates_and_scales():
    base = fish_parcels()
    moved = fish_parcels(origin=(1000.0, 2000.0), angle_deg=90, scale=2.0)
    assert moved["head"].area == pytest.approx(4 * base["head"].area, rel=1e-3)
    # Rotated by 90°: the head now lies north of the origin.
    assert moved["head"].centroid.y > 2000 + 1000
    assert moved["head"].centroid.x == pytest.approx(1000 - 2 * base["head"].centroid.y, abs=0.1)
