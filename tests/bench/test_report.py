"""Section results rendered as the report's tables and Markdown: values, ratios, verdicts."""

from __future__ import annotations

from rich.console import Console

from bench.report import figures_table, format_ratio, format_value, markdown, targets_table
from bench.runner import from_json, to_json
from bench.section import Figure, SectionResult, Target

SCENE = SectionResult(
    name="scene",
    figures=[
        Figure("campus GLB", "draw calls", 22, "lower", "one mesh per part", 3896),
        Figure("campus GLB", "size MB", 2.89, "lower", "one mesh per part", 2.24),
        Figure("campus GLB", "features", 3918, "higher"),
    ],
    targets=[Target("GLB ≤ 100 draw calls", True, "22 draw calls")],
    method="Both GLBs are built from the same parts.",
    notes=["The naive export is picked by node name."],
    environment=["trimesh 4.5"],
)
INGESTION = SectionResult(
    name="ingestion",
    figures=[
        Figure("MQTT, 1 a message | SQLite", "readings/s", 2500, "higher", "broker alone", 5000)
    ],
    targets=[Target("≥ 5,000 readings/s over MQTT", False, "2,500 readings/s, 50% short")],
)


def rendered(table: object) -> str:
    console = Console(record=True, width=250)
    console.print(table)
    return console.export_text()


def test_values_keep_a_sensible_precision():
    assert [format_value(v) for v in (0, 0.01234, 1.234, 12.34, 123.4, 1234.4, 3896)] == [
        "0",
        "0.0123",
        "1.23",
        "12.3",
        "123",
        "1,234",
        "3,896",
    ]


def test_ratio_is_better_than_baseline_whichever_way_the_metric_points():
    lower, _, no_baseline = SCENE.figures
    (higher,) = INGESTION.figures
    assert format_ratio(lower.ratio) == "177×"  # 3,896 draw calls against 22
    assert format_ratio(higher.ratio) == "0.50×"  # half the readings/s of the baseline
    assert format_ratio(SCENE.figures[1].ratio) == "0.78×"  # bigger file than the baseline
    assert format_ratio(no_baseline.ratio) == ""


def test_markdown_has_one_row_per_figure_with_baseline_and_ratio():
    text = markdown([SCENE, INGESTION], ["- CPU: test"], command="python -m bench")
    assert "| scene | campus GLB | draw calls | 22 | one mesh per part 3,896 | 177× |" in text
    assert "| scene | campus GLB | features | 3,918 |  |  |" in text
    # a pipe in a case would split the row: it is escaped
    assert "| ingestion | MQTT, 1 a message \\| SQLite | readings/s | 2,500 |" in text


def test_markdown_gives_each_target_its_verdict_and_how_much_it_missed_by():
    text = markdown([SCENE, INGESTION], ["- CPU: test"], command="python -m bench")
    targets = text.split("## Targets")[1].split("## Figures")[0]
    assert "| scene | GLB ≤ 100 draw calls | met | 22 draw calls |" in targets
    assert (
        "| ingestion | ≥ 5,000 readings/s over MQTT | **missed** | 2,500 readings/s, 50% short |"
        in targets
    )


def test_markdown_has_machine_method_notes_and_what_was_not_measured():
    text = markdown(
        [SCENE],
        ["- CPU: Test CPU; 2 CPUs"],
        command="python -m bench --quick",
        quick=True,
        titles={"scene": "The 3D scene (GLB)"},
        problems=["queries: bench/queries.py is not there (not written yet?)"],
    )
    assert text.startswith("# Performance\n")
    assert "`python -m bench --quick`" in text
    assert "**Quick run**" in text
    assert "## Machine\n\n- CPU: Test CPU; 2 CPUs\n" in text
    assert "## Not measured\n\n- queries: bench/queries.py is not there" in text
    section = text.split("### The 3D scene (GLB)")[1]
    assert "Both GLBs are built from the same parts." in section
    assert "- The naive export is picked by node name." in section
    assert "- Measured with: trimesh 4.5" in section


def test_a_full_run_has_no_quick_warning_and_an_empty_run_says_no_target_was_judged():
    text = markdown([], [], command="python -m bench")
    assert "Quick run" not in text
    assert "No target was judged in this run." in text


def test_console_tables_show_ratios_and_verdicts():
    figures = rendered(figures_table([SCENE, INGESTION]))
    assert "one mesh per part 3,896" in figures and "177×" in figures and "0.50×" in figures
    targets = rendered(targets_table([SCENE, INGESTION]))
    lines = {line.split("│")[2].strip(): line for line in targets.splitlines() if "│" in line}
    assert "met" in lines["GLB ≤ 100 draw calls"]
    assert "missed" in lines["≥ 5,000 readings/s over MQTT"]
    assert "50% short" in lines["≥ 5,000 readings/s over MQTT"]


def test_a_section_result_survives_the_trip_from_its_process():
    assert from_json(to_json(SCENE)) == SCENE
    assert from_json(to_json(INGESTION)).figures[0].ratio == 0.5
