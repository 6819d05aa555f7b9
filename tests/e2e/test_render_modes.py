"""`twin render --mode M --at DATE` and `twin view`, run as a user runs them (real processes,
real offscreen rendering)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from cli_runner import twin
from matplotlib.image import imread

SIZE_CHECK = 200  # distinct colours a real picture of the campus has, at least


def pixels(path: Path) -> np.ndarray:
    image = np.asarray(imread(io.BytesIO(path.read_bytes()), format="png"))[..., :3]
    return np.rint(image * 255).astype(int)


def test_render_by_mode_and_date_colours_the_campus_as_then(tmp_path: Path) -> None:
    db = str(tmp_path / "twin.db")
    for day in ("2023-01-01", "2024-09-12"):
        done = twin(
            "render",
            "--mode",
            "construction",
            "--at",
            day,
            "--db",
            db,
            "-o",
            f"{day}.png",
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        assert f"wrote {day}.png" in done.stdout
    early, late = pixels(tmp_path / "2023-01-01.png"), pixels(tmp_path / "2024-09-12.png")
    assert len(np.unique(early.reshape(-1, 3), axis=0)) > SIZE_CHECK
    assert np.abs(early - late).max(axis=2).astype(bool).mean() > 0.001  # the towers changed


def test_render_refuses_an_unknown_mode_naming_the_modes(tmp_path: Path) -> None:
    done = twin(
        "render", "--mode", "x-ray", "--db", str(tmp_path / "twin.db"), "-o", "x.png", cwd=tmp_path
    )
    assert done.returncode == 1
    assert "unknown mode 'x-ray'" in done.stderr and "visitor" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x.png").exists()


def test_view_without_a_display_says_so(tmp_path: Path) -> None:
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": ""}
    done = twin("view", "--db", str(tmp_path / "twin.db"), cwd=tmp_path, env=env)
    assert done.returncode == 1
    assert "no display" in done.stderr and "Traceback" not in done.stderr
