import numpy as np
import pytest
from shapely.geometry import Polygon

from geometry.crs import lonlat_to_utm, to_lonlat, to_utm, utm_to_lonlat
from geometry.frame import LocalFrame


def test_dishui_lake_projects_into_utm_51n_and_back():
    x, y = lonlat_to_utm(121.929, 30.909)
    assert 390_000 < x < 410_000 and 3_410_000 < y < 3_430_000
    lon, lat = utm_to_lonlat(x, y)
    assert lon == pytest.approx(121.929, abs=1e-9) and lat == pytest.approx(30.909, abs=1e-9)


def test_polygon_round_trip_keeps_area_to_the_square_centimetre():
    x, y = lonlat_to_utm(121.9, 30.9)
    square = Polygon([(x, y), (x + 100, y), (x + 100, y + 100), (x, y + 100)])
    back = to_utm(to_lonlat(square))
    assert back.area == pytest.approx(10_000, abs=1e-4)


def test_scene_frame_is_y_up_and_south_is_plus_z():
    frame = LocalFrame(400_000.0, 3_420_000.0)
    planar = frame.to_planar(np.array([[400_010.0, 3_420_020.0, 30.0]]))
    assert planar.tolist() == [[10.0, 20.0, 30.0]]
    scene = LocalFrame.planar_to_scene(planar)
    assert scene.tolist() == [[10.0, 30.0, -20.0]]
    assert LocalFrame.scene_to_planar(scene).tolist() == planar.tolist()
    assert frame.from_planar(planar).tolist() == [[400_010.0, 3_420_020.0, 30.0]]


def test_origin_description_records_utm_and_lonlat():
    x, y = lonlat_to_utm(121.9, 30.9)
    described = LocalFrame(x, y).describe()
    assert described["crs"] == "EPSG:32651"
    assert described["lon"] == pytest.approx(121.9, abs=1e-6)
    assert described["lat"] == pytest.approx(30.9, abs=1e-6)
