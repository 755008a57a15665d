//! An indicator's history as a chart on a time axis: each value drawn at the end date of its
//! period (`Period::end`), one line a series, and the comparators as points at the end of the
//! period each describes. A value whose date is not recorded or only approximate is never drawn
//! at a guessed place: it stays in the table, and the description says in words that the
//! drawing leaves it out.

use super::line::{Line, Point, TimePlot};
use super::{Chart, ChartRow, join_words};
use crate::indicator::{IndicatorDef, Unit, format_number};
use crate::period::{Date, Period};

/// One value of an indicator's history, for its chart.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPoint {
    /// The period the value describes.
    pub period: Period,
    /// The value.
    pub value: f64,
    /// The value with its unit, as the source gives it ("40+ weeks").
    pub display: String,
    /// How many decimal places the source writes the value with (`38.0`: 1).
    pub decimals: u8,
    /// The source leaves the period unclear: the value is not drawn.
    pub approximate: bool,
    /// The series its figure names, if any (see [`crate::figure`]).
    pub series: Option<String>,
    /// The change the source states for this value, in its words ("11% drop"), with the
    /// period of the earlier value it is stated against, where the source dates it.
    pub stated_change: Option<(Option<Period>, String)>,
}

/// A comparator's value in an indicator's history.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparatorPoint {
    /// Its name: "England average".
    pub name: String,
    /// The period it describes: it is drawn at the end of it.
    pub basis: Period,
    /// The value.
    pub value: f64,
    /// The value with its unit ("about 26 per 10,000").
    pub display: String,
    /// How many decimal places the source writes the value with (`38.0`: 1).
    pub decimals: u8,
}

/// Where a value of `period` is drawn on a time axis: at the end of the period; or, in words,
/// why it is not drawn: its period is not recorded, only approximate, or a year the source does
/// not say is a calendar or a financial one (either could end it).
pub fn plotted_date(period: Period, approximate: bool) -> Result<Date, &'static str> {
    match period {
        Period::NotRecorded => Err("period not recorded"),
        _ if approximate => Err("period only approximate"),
        Period::Year(_) => Err("calendar or financial year not stated"),
        _ => Ok(period.end()),
    }
}

/// The values of one series of a history, oldest first.
pub(super) struct Series<'p> {
    /// Its name: the series the figures name, or the place for an indicator's one series.
    pub name: String,
    pub points: Vec<&'p HistoryPoint>,
}

impl Series<'_> {
    /// The values drawn, with their dates.
    pub fn dated(&self) -> Vec<(Date, &HistoryPoint)> {
        self.points
            .iter()
            .filter_map(|p| Some((plotted_date(p.period, p.approximate).ok()?, *p)))
            .collect()
    }
}

/// `points` by series, each series in the order it first appears; a value whose figure names
/// no series is of the one named after `place`.
pub(super) fn by_series<'p>(points: &'p [HistoryPoint], place: &str) -> Vec<Series<'p>> {
    let mut series: Vec<Series<'p>> = Vec::new();
    for point in points {
        let name = point.series.as_deref().unwrap_or(place);
        match series.iter_mut().find(|s| s.name == name) {
            Some(s) => s.points.push(point),
            None => series.push(Series {
                name: name.to_string(),
                points: vec![point],
            }),
        }
    }
    series
}

impl Chart {
    /// The chart of an indicator's history, `points` oldest first, its values of `place`: one
    /// line a series on a time axis, each value at the end date of its period, and
    /// `comparators` as labelled points at the end of the period each describes. Values not
    /// drawn (period not recorded or only approximate) stay in the table, and the description
    /// names them. `None` with fewer than two values to draw.
    pub fn history(
        def: &IndicatorDef,
        points: &[HistoryPoint],
        comparators: &[ComparatorPoint],
        place: &str,
    ) -> Option<Chart> {
        let series = by_series(points, place);
        let drawn: Vec<(Date, &HistoryPoint)> = series.iter().flat_map(|s| s.dated()).collect();
        let first = drawn.iter().min_by_key(|(date, _)| *date)?;
        let last = drawn.iter().max_by_key(|(date, _)| *date)?;
        if drawn.len() < 2 {
            return None;
        }
        let mut rows = Vec::new();
        let mut lines = Vec::new();
        for s in &series {
            rows.extend(s.points.iter().map(|p| {
                timed_row(
                    &s.name,
                    p.period,
                    p.approximate,
                    (p.value, p.decimals),
                    &p.display,
                )
            }));
            lines.push(Line {
                name: s.name.clone(),
                points: s
                    .dated()
                    .into_iter()
                    .map(|(date, p)| point(date, p, def.unit))
                    .collect(),
            });
        }
        rows.extend(
            comparators
                .iter()
                .map(|c| timed_row(&c.name, c.basis, false, (c.value, c.decimals), &c.display)),
        );
        Some(Chart {
            id: format!("{}-history", def.id),
            indicator: def.id.to_string(),
            title: format!("{}: every value in the archive", def.name),
            subtitle: format!(
                "{} ({}), {place}, {} to {}",
                def.name,
                def.unit.label(),
                first.1.period.short_label(),
                last.1.period.short_label()
            ),
            description: describe_history(def, &series, comparators),
            unit: def.unit,
            rows,
            plot: Some(TimePlot {
                lines,
                marks: comparator_marks(comparators, def.unit),
                whole: matches!(def.unit, Unit::Count | Unit::Days | Unit::Weeks),
            }),
            timed: true,
            grouped: false,
            synthetic: false,
        })
    }
}

/// A point drawn at `date`, labelled with its value (in `unit`, which the axis names).
fn point(date: Date, p: &HistoryPoint, unit: Unit) -> Point {
    Point {
        date,
        value: p.value,
        label: axis_label(&p.display, unit),
    }
}

/// A value as a point's label says it: without the unit the axis names ("349" for "349 per
/// 10,000", "40+" for "40+ weeks"), but for a percentage, whose sign is short ("94%").
fn axis_label(display: &str, unit: Unit) -> String {
    if unit == Unit::Percent {
        return display.to_string();
    }
    let one = unit.format(1.0);
    let suffix = one.strip_prefix(&format_number(1.0)).unwrap_or("");
    display.strip_suffix(suffix).unwrap_or(display).to_string()
}

/// The comparators drawn, one set of points a comparator (never joined), each labelled with
/// its value and the period it describes.
fn comparator_marks(comparators: &[ComparatorPoint], unit: Unit) -> Vec<Line> {
    let mut marks: Vec<Line> = Vec::new();
    for c in comparators {
        let Ok(date) = plotted_date(c.basis, false) else {
            continue;
        };
        let point = Point {
            date,
            value: c.value,
            label: format!(
                "{}, {}",
                axis_label(&c.display, unit),
                c.basis.short_label()
            ),
        };
        match marks.iter_mut().find(|m| m.name == c.name) {
            Some(mark) => mark.points.push(point),
            None => marks.push(Line {
                name: c.name.clone(),
                points: vec![point],
            }),
        }
    }
    marks
}

/// A row of a chart on a time axis: where the value is drawn, or why it is not.
fn timed_row(
    label: &str,
    period: Period,
    approximate: bool,
    (value, decimals): (f64, u8),
    display: &str,
) -> ChartRow {
    let date = plotted_date(period, approximate);
    ChartRow {
        label: label.to_string(),
        period: if approximate {
            format!("about {}", period.short_label())
        } else {
            period.short_label()
        },
        value,
        display: display.to_string(),
        decimals,
        plotted: Some(match date {
            Ok(date) => format!("at {}", Period::Date(date).short_label()),
            Err(why) => format!("not drawn: {why}"),
        }),
        date: date.ok(),
    }
}

/// The history in words: each series' values and how it changed, the comparators drawn, the
/// values the drawing leaves out, and which direction is better.
fn describe_history(
    def: &IndicatorDef,
    series: &[Series<'_>],
    comparators: &[ComparatorPoint],
) -> String {
    let mut sentences: Vec<String> = series
        .iter()
        .filter_map(|s| series_sentence(def.unit, s))
        .collect();
    let drawn: Vec<String> = comparators
        .iter()
        .filter(|c| plotted_date(c.basis, false).is_ok())
        .map(|c| format!("the {} {} ({})", c.name, c.display, c.basis.short_label()))
        .collect();
    if !drawn.is_empty() {
        sentences.push(format!(
            "Comparators, each drawn at the end of the period it describes: {}.",
            join_words(&drawn)
        ));
    }
    sentences.extend(left_out_sentence(series, comparators));
    sentences.push(def.polarity.sentence().to_string());
    sentences.join(" ")
}

/// "Thurrock: 49% at 30 September 2021 and 54% at 30 September 2022; from the first to the
/// latest it rose by 5 percentage points, worked out from the values." `None` for a series of which nothing is drawn.
fn series_sentence(unit: Unit, series: &Series<'_>) -> Option<String> {
    let dated = series.dated();
    let listed: Vec<String> = dated
        .iter()
        .map(|(_, p)| format!("{} {}", p.display, p.period.phrase()))
        .collect();
    if listed.is_empty() {
        return None;
    }
    let change = match series_change(unit, series) {
        Some(change) => format!("; {change}"),
        None => String::new(),
    };
    Some(format!("{}: {}{change}.", series.name, join_words(&listed)))
}

/// How a series changed, in words: as the source states it, where it states the change between
/// the series' only two values ("the source describes the change as “11% drop”"); else worked
/// out from the first and the latest value and said to be, with any change the source states
/// for the latest. `None` for fewer than two values drawn.
pub(super) fn series_change(unit: Unit, series: &Series<'_>) -> Option<String> {
    let dated = series.dated();
    let ((_, first), (_, last)) = (dated.first()?, dated.last()?);
    match (dated.len(), &last.stated_change) {
        (0 | 1, _) => None,
        (2, Some((Some(from), words))) if *from == first.period => {
            Some(format!("the source describes the change as “{words}”"))
        }
        (_, stated) => {
            let worked_out = format!(
                "from the first to the latest it {}, worked out from the values",
                change_words(unit, first.value, last.value)
            );
            Some(match stated {
                Some((from, words)) => format!(
                    "{worked_out} (the source describes the change on the {} figure as “{words}”)",
                    from.map_or("earlier".to_string(), |p| p.short_label())
                ),
                None => worked_out,
            })
        }
    }
}

/// How a value changed from `first` to `last`, in words: "rose by 5 percentage points", "fell
/// by 3%", "was unchanged".
pub(super) fn change_words(unit: Unit, first: f64, last: f64) -> String {
    if first == last {
        return "was unchanged".into();
    }
    let verb = if last > first { "rose" } else { "fell" };
    let by = if unit == Unit::Percent {
        let points = (last - first).abs();
        let plural = if format_number(points) == "1" {
            ""
        } else {
            "s"
        };
        format!("{} percentage point{plural}", format_number(points))
    } else if first != 0.0 {
        let percent = ((last - first) / first * 100.0).abs().round();
        if percent == 0.0 {
            "less than 1%".to_string()
        } else {
            format!("{}%", format_number(percent))
        }
    } else {
        format_number((last - first).abs())
    };
    format!("{verb} by {by}")
}

/// The values the drawing leaves out, and why, in a sentence; `None` when it draws them all.
pub(super) fn left_out_sentence(
    series: &[Series<'_>],
    comparators: &[ComparatorPoint],
) -> Option<String> {
    let several = series.len() > 1;
    let mut left_out: Vec<String> = Vec::new();
    for s in series {
        for p in &s.points {
            if plotted_date(p.period, p.approximate).is_err() {
                let of = if several {
                    format!("{}, ", s.name)
                } else {
                    String::new()
                };
                left_out.push(format!(
                    "{} ({of}{})",
                    p.display,
                    undated_words(p.period, p.approximate)
                ));
            }
        }
    }
    for c in comparators {
        if plotted_date(c.basis, false).is_err() {
            left_out.push(format!(
                "the {} {} ({})",
                c.name,
                c.display,
                undated_words(c.basis, false)
            ));
        }
    }
    (!left_out.is_empty()).then(|| {
        format!(
            "Not drawn, as their sources do not date them exactly: {}; the table gives them.",
            join_words(&left_out)
        )
    })
}

/// Why a value of `period` has no exact date, in words: "period not recorded",
/// "approximately 30 June 2024".
fn undated_words(period: Period, approximate: bool) -> String {
    match period {
        Period::NotRecorded => "period not recorded".into(),
        _ if approximate => format!("approximately {period}"),
        Period::Year(year) => {
            format!("{year}, not said to be a calendar or a financial year")
        }
        _ => period.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::Polarity;

    fn def(unit: Unit) -> IndicatorDef {
        IndicatorDef::new(
            "test-indicator",
            "Test indicator",
            unit,
            Polarity::HigherIsBetter,
            "A test.",
        )
    }

    /// A value of `period` (as a data file writes it) in `series`.
    fn value(period: &str, value: f64, approximate: bool, series: Option<&str>) -> HistoryPoint {
        HistoryPoint {
            period: period.parse().expect("a period"),
            value,
            display: Unit::Percent.format(value),
            decimals: 0,
            approximate,
            series: series.map(str::to_string),
            stated_change: None,
        }
    }

    /// The text of each `<text>` element of an SVG, trimmed.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                Some(
                    t.split_once('>')?
                        .1
                        .split_once("</text>")?
                        .0
                        .trim()
                        .to_string(),
                )
            })
            .collect()
    }

    /// The number of points of each `<polyline>` of `stroke` colour and width 3.
    fn lines_of(svg: &str, stroke: &str) -> Vec<usize> {
        svg.split("<polyline")
            .skip(1)
            .filter(|l| l.contains(&format!("stroke=\"{stroke}\" stroke-width=\"3\"")))
            .filter_map(|l| {
                let points = l.split("points=\"").nth(1)?.split('"').next()?;
                Some(points.split_whitespace().count())
            })
            .collect()
    }

    #[test]
    fn a_history_with_an_undated_value_says_it_leaves_it_out() {
        let points = [
            value("not recorded", 38.0, false, None),
            value("2021-09-30", 49.0, false, None),
            value("2022-09-30", 54.0, false, None),
            value("2024-06-30", 41.0, true, None),
        ];
        let comparators = [ComparatorPoint {
            name: "England average".into(),
            basis: Period::NotRecorded,
            value: 52.0,
            display: "52%".into(),
            decimals: 0,
        }];
        let chart = Chart::history(&def(Unit::Percent), &points, &comparators, "Thurrock")
            .expect("two dated values make a chart");
        assert!(
            chart.description.contains(
                "Not drawn, as their sources do not date them exactly: 38% (period not recorded), 41% (approximately 30 June 2024) and the England average 52% (period not recorded); the table gives them."
            ),
            "{}",
            chart.description
        );
        assert!(chart.description.starts_with(
            "Thurrock: 49% at 30 September 2021 and 54% at 30 September 2022; from the first to the latest it rose by 5 percentage points, worked out from the values."
        ));
        // Every value stays in the table, saying where it is drawn or why it is not.
        let table: Vec<(&str, &str)> = chart
            .rows
            .iter()
            .map(|r| (r.display.as_str(), r.plotted.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            table,
            [
                ("38%", "not drawn: period not recorded"),
                ("49%", "at 30 Sep 2021"),
                ("54%", "at 30 Sep 2022"),
                ("41%", "not drawn: period only approximate"),
                ("52%", "not drawn: period not recorded"),
            ]
        );
        assert!(
            chart
                .csv()
                .contains("Thurrock,period not recorded,38,per cent,\r\n")
        );
        assert!(
            chart
                .csv()
                .contains("Thurrock,30 Sep 2022,54,per cent,2022-09-30\r\n")
        );
        // The drawing labels the dated values only, on one line of two points.
        let svg = chart.svg("figure-1");
        let labels = texts(&svg);
        assert!(labels.contains(&"49%".to_string()) && labels.contains(&"54%".to_string()));
        for left_out in ["38%", "41%", "52%"] {
            assert!(
                !labels.iter().any(|t| t.starts_with(left_out)),
                "{labels:?}"
            );
        }
        assert!(lines_of(&svg, "#12436D").contains(&2), "{svg}");
        assert!(
            svg.contains("Not drawn, as their sources"),
            "the <desc> says so too"
        );
    }

    #[test]
    fn points_are_placed_by_date() {
        let points = [
            value("2021-22", 10.0, false, None),
            value("2022-23 Q1", 20.0, false, None),
            value("2022-09-30", 30.0, false, None),
        ];
        let chart = Chart::history(&def(Unit::Count), &points, &[], "Thurrock").expect("a chart");
        let plot = chart.plot.expect("a time axis");
        let dates: Vec<String> = plot.lines[0].points.iter().map(|p| p.date.iso()).collect();
        assert_eq!(dates, ["2022-03-31", "2022-06-30", "2022-09-30"]);
        // 91 days, then 92: nearly the same distance apart across, as the days are.
        let scale = super::super::line::Scale::fit(
            plot.lines[0].points.iter().map(|p| (p.date, p.value)),
            (0, 1000, 0, 100),
        );
        let x: Vec<i32> = plot.lines[0]
            .points
            .iter()
            .map(|p| scale.x(p.date))
            .collect();
        assert!(((x[1] - x[0]) - (x[2] - x[1])).abs() <= 12, "{x:?}");
    }

    #[test]
    fn two_series_are_two_lines() {
        let (a, b) = (
            "Care leavers aged 19 to 21",
            "Care leavers, ages not stated",
        );
        let points = [
            value("2020-09-30", 47.0, false, Some(a)),
            value("2021-09-30", 49.0, false, Some(a)),
            value("2022-09-30", 54.0, false, Some(a)),
            value("2023-09", 58.6, false, Some(b)),
            value("2024-05", 39.9, false, Some(b)),
            value("2024-06-30", 41.0, true, Some(b)),
            value("2024-07", 42.0, false, Some(b)),
            value("2024-08-31", 43.3, false, Some(b)),
        ];
        let chart = Chart::history(&def(Unit::Percent), &points, &[], "Thurrock").expect("a chart");
        let plot = chart.plot.as_ref().expect("a time axis");
        let lines: Vec<(&str, usize)> = plot
            .lines
            .iter()
            .map(|l| (l.name.as_str(), l.points.len()))
            .collect();
        assert_eq!(lines, [(a, 3), (b, 4)]);
        let svg = chart.svg("figure-1");
        // Each series its own line (and its legend's sample, of two points), none joining both.
        assert_eq!(lines_of(&svg, "#12436D"), [3, 2], "{svg}");
        assert_eq!(lines_of(&svg, "#28A197"), [4, 2], "{svg}");
        let labels = texts(&svg);
        for name in [a, b] {
            assert!(
                labels.contains(&name.to_string()),
                "the legend names {name}: {labels:?}"
            );
        }
        assert!(chart.description.contains(
            "Care leavers aged 19 to 21: 47% at 30 September 2020, 49% at 30 September 2021 and 54% at 30 September 2022; from the first to the latest it rose by 7 percentage points, worked out from the values. Care leavers, ages not stated: 58.6% in Sep 2023, 39.9% in May 2024, 42% in Jul 2024 and 43.3% at 31 August 2024; from the first to the latest it fell by 15.3 percentage points, worked out from the values."
        ), "{}", chart.description);
        assert!(
            chart
                .description
                .contains("41% (Care leavers, ages not stated, approximately 30 June 2024)")
        );
        assert_eq!(chart.rows[0].label, "Care leavers aged 19 to 21");
    }

    #[test]
    fn fewer_than_two_dated_values_make_no_chart() {
        let points = [
            value("2022-09-30", 282.0, false, None),
            value("2024-06-30", 284.0, true, None),
            value("not recorded", 318.0, false, None),
            value("2021", 300.0, false, None),
        ];
        assert!(Chart::history(&def(Unit::Count), &points, &[], "Thurrock").is_none());
    }

    #[test]
    fn comparators_are_labelled_points_at_the_end_of_their_basis() {
        let points = [
            value("2021-09-30", 637.0, false, None),
            value("2022-09-30", 349.0, false, None),
        ];
        let comparators = [ComparatorPoint {
            name: "England average".into(),
            basis: "2021-22".parse().expect("a period"),
            value: 494.0,
            display: "494 per 10,000".into(),
            decimals: 0,
        }];
        let chart = Chart::history(&def(Unit::RatePer10k), &points, &comparators, "Thurrock")
            .expect("a chart");
        let plot = chart.plot.as_ref().expect("a time axis");
        assert_eq!(plot.marks[0].points[0].date.iso(), "2022-03-31");
        assert_eq!(plot.marks[0].points[0].label, "494, 2021-22");
        let labels = texts(&chart.svg("figure-1"));
        assert!(labels.contains(&"494, 2021-22".to_string()), "{labels:?}");
        assert!(
            labels.contains(&"Rate per 10,000".to_string()),
            "{labels:?}"
        );
        assert!(chart.description.contains(
            "Comparators, each drawn at the end of the period it describes: the England average 494 per 10,000 (2021-22)."
        ));
        assert!(
            chart
                .description
                .contains("from the first to the latest it fell by 45%")
        );
    }

    #[test]
    fn a_change_the_source_states_is_told_in_its_words_not_worked_out() {
        let stated = |from: &str| Some((Some(from.parse().expect("a period")), "11% drop".into()));
        let mut latest = value("2022-23 Q2", 494.0, false, None);
        latest.stated_change = stated("2021-22 Q2");
        let points = [value("2021-22 Q2", 559.0, false, None), latest.clone()];
        let chart = Chart::history(&def(Unit::Count), &points, &[], "Thurrock").expect("a chart");
        assert!(
            chart
                .description
                .contains("; the source describes the change as “11% drop”."),
            "{}",
            chart.description
        );
        assert!(!chart.description.contains("12%"), "{}", chart.description);
        // Over a longer history, the change is worked out, said to be, and the stated one kept.
        let points = [
            value("2020-21 Q2", 600.0, false, None),
            value("2021-22 Q2", 559.0, false, None),
            latest,
        ];
        let chart = Chart::history(&def(Unit::Count), &points, &[], "Thurrock").expect("a chart");
        assert!(
            chart.description.contains(
                "it fell by 18%, worked out from the values (the source describes the change on the Q2 2021-22 figure as “11% drop”)"
            ),
            "{}",
            chart.description
        );
    }
}
