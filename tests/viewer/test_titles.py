"""Picture titles name the campus the dataset describes, not always the Flying Fish."""

from __future__ import annotations

from datetime import UTC, datetime

from assets.dataset import load_campus
from assets.synthetic import synthesize
from viewer.titles import campus_title, render_title


def test_the_flying_fish_is_titled_by_its_complex():
    campus = load_campus()
    assert campus_title(campus) == "Information Flying Fish · 信息飞鱼特色园区"
    at = datetime(2024, 12, 31, 18, tzinfo=UTC)  # 2025-01-01 02:00 on campus (UTC+8)
    assert render_title(campus, "construction", at) == (
        "Information Flying Fish · 信息飞鱼特色园区 — Construction · 建设进度 — 2025-01-01"
    )


def test_another_dataset_is_titled_by_its_own_park(tmp_path):
    synthetic = synthesize(3, seed=5)
    for name, text in synthetic.texts().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    title = campus_title(load_campus(tmp_path))
    assert title.startswith("Synthetic campus (") and "Flying Fish" not in title
