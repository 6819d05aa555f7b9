"""The campus GLB passes the Khronos validator and loads in three.js (the viewer's loader)."""

import json

import pytest

from twin.runtime import Twin
from twin.settings import Settings


@pytest.fixture(scope="module")
def glb_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("scene") / "campus.glb"
    path.write_bytes(Twin(Settings.from_env()).scene().glb)
    return path


def test_campus_glb_has_no_validator_error_or_warning(glb_file, node_tool):
    done = node_tool("validate-gltf.mjs", str(glb_file))
    report = json.loads(done.stdout)
    assert (report["numErrors"], report["numWarnings"]) == (0, 0), report["messages"][:5]
    assert report["info"]["drawCallCount"] <= 100
    assert done.returncode == 0


def test_campus_glb_loads_in_three_js_with_feature_ids(glb_file, node_tool):
    done = node_tool("load-glb.mjs", str(glb_file))
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    assert loaded["meshes"] == loaded["meshesWithFeatureIds"] > 0
    assert loaded["features"] > 3000 and loaded["triangles"] > 10_000
    assert loaded["origin"]["crs"] == "EPSG:32651"
