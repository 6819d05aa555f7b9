from assets.lookup import CampusLookup
from geometry.crs import utm_to_lonlat


def test_what_is_at_a_point_in_each_frame(campus):
    lookup = CampusLookup(campus)
    tower = campus.footprints["fish-head-t1"].centroid
    expected = {"park", "core", "fish", "fish-head", "fish-head-t1"}
    assert expected <= set(lookup.at_utm(tower.x, tower.y))
    lon, lat = utm_to_lonlat(tower.x, tower.y)
    assert expected <= set(lookup.at_lonlat(lon, lat))
    local = (tower.x - campus.frame.origin_x, tower.y - campus.frame.origin_y)
    assert expected <= set(lookup.at_local(*local))
    assert lookup.at_lonlat(121.0, 30.0) == []


def test_what_meets_a_box(campus):
    lookup = CampusLookup(campus)
    minx, miny, maxx, maxy = campus.footprints["office-building"].bounds
    west, south = utm_to_lonlat(minx, miny)
    east, north = utm_to_lonlat(maxx, maxy)
    hits = lookup.in_bbox_lonlat(west, south, east, north)
    assert "office-building" in hits and "fish-head-t1" not in hits
