"""The report's charts: axes a reader can read."""

from shared.reports.sla.charts import pareto_chart, trend_chart


def test_a_count_axis_has_whole_ticks():
    rows = [
        {"incidents": 25, "cumulative_percent": 60.0},
        {"incidents": 5, "cumulative_percent": 100.0},
    ]
    chart = pareto_chart(rows, ["CNC-01", "CNC-02"])
    assert [tick["text"] for tick in chart.y_left] == ["0", "13", "26"]


def test_an_axis_is_read_one_way():
    empty = {"compliance_percent": None}
    points = [{"tickets": 3, "response": empty, "resolution": empty}] * 4
    labels = ["Sem 1", "Semana de 14 de setembro", "Sem 3", "Sem 4"]
    chart = trend_chart(points, labels)
    assert {label["tilt"] for label in chart.x_labels} == {True}
