"""`twin export --format 3dtiles -o DIR`, run as a user runs it (a real process)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_runner import twin

from geometry.gltf import read_feature_ids


def _contents(tile: dict[str, Any]) -> list[str]:
    own = [tile["content"]["uri"]] if "content" in tile else []
    return own + [uri for child in tile.get("children", []) for uri in _contents(child)]


def _finest(tile: dict[str, Any]) -> list[str]:
    """The contents of full detail: not those a REPLACE tile's children replace."""
    own = [tile["content"]["uri"]] if "content" in tile and tile.get("refine") != "REPLACE" else []
    return own + [uri for child in tile.get("children", []) for uri in _finest(child)]


def test_export_writes_a_tileset_directory_with_the_glbs_ids(tmp_path: Path) -> None:
    out = tmp_path / "tiles-out"
    done = twin("export", "--format", "3dtiles", "-o", str(out))
    assert done.returncode == 0, done.stderr
    tileset = json.loads((out / "tileset.json").read_text(encoding="utf-8"))
    assert tileset["asset"]["version"] == "1.1"
    uris = _contents(tileset["root"])
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.glb"))
    assert sorted(uris) == written and len(written) > 3
    assert f"wrote {out / 'tileset.json'} and {len(written)} tiles" in " ".join(done.stdout.split())
    glb = tmp_path / "campus.glb"
    assert twin("export", "--format", "glb", "-o", str(glb)).returncode == 0
    finest = _finest(tileset["root"])
    assert len(finest) < len(uris)  # coarse levels of detail above the buildings
    found = [i for uri in finest for i in read_feature_ids((out / uri).read_bytes())]
    assert sorted(found) == sorted(read_feature_ids(glb.read_bytes()))


def test_an_empty_directory_is_filled(tmp_path: Path) -> None:
    done = twin("export", "-f", "3dtiles", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "tileset.json").is_file() and (tmp_path / "tiles" / "ground.glb").is_file()


def _not_empty(directory: Path) -> Path:
    (directory / "keep.txt").write_text("mine")
    return directory


def _a_file(directory: Path) -> Path:
    (directory / "a-file").write_text("mine")
    return directory / "a-file"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_not_empty, "is not empty"),
        (_a_file, "it is a file, not a directory"),
        (lambda d: d / "no" / "such" / "dir", "does not exist"),
    ],
    ids=["not-empty", "a-file", "no-parent"],
)
def test_a_bad_output_is_refused_and_nothing_is_written(
    make: Callable[[Path], Path], message: str, tmp_path: Path
) -> None:
    target = make(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    done = twin("export", "--format", "3dtiles", "-o", str(target), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and message in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert sorted(tmp_path.rglob("*")) == before
