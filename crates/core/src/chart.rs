//! Charts drawn at build time as inline SVG with plotters, each with a title, a statistical
//! subtitle, a text description, the same numbers as a table, and CSV: a quarter's figure
//! against last year's and its comparators, or indicators of one unit, as horizontal bars; an
//! indicator's history as lines on a time axis, one a series, with its comparators as labelled
//! points ([`Chart::history`], drawn by [`line`]); and the small trend line of a home-page card
//! ([`sparkline`]).
//!
//! The SVG keeps its text as `<text>` in a generic font family (no font engine is linked), so
//! browsers render it and screen readers can read it; `role="img"`, `<title>` and `<desc>` are
//! added because plotters emits none.

mod history;
pub mod line;
pub mod sparkline;

pub use history::{ComparatorPoint, HistoryPoint, plotted_date};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

use crate::config::SiteConfig;
use crate::figure::{Figure, SectionData};
use crate::indicator::{IndicatorDef, Polarity, Unit, format_number};
use scrutiny_plugin::section::{ChartGroup, SectionDecl};

/// The Government Analysis Function categorical palette, in an order where neighbouring bars
/// and lines differ by at least 3:1 in contrast and every colour has 3:1 against white.
const PALETTE: [RGBColor; 6] = [
    RGBColor(0x12, 0x43, 0x6D),
    RGBColor(0x28, 0xA1, 0x97),
    RGBColor(0x80, 0x16, 0x50),
    RGBColor(0xF4, 0x6A, 0x25),
    RGBColor(0x3D, 0x3D, 0x3D),
    RGBColor(0xA2, 0x85, 0xD1),
];

/// One bar or point of a chart, one row of its table.
#[derive(Debug, Clone, Serialize)]
pub struct ChartRow {
    /// Who or what the value is for: "Thurrock", "England average", or on a time axis the
    /// series ("Care leavers aged 19 to 21").
    pub label: String,
    /// The period the value describes.
    pub period: String,
    /// The value.
    pub value: f64,
    /// The value written with its unit.
    pub display: String,
    /// How many decimal places the source writes the value with (`38.0`: 1), for the CSV.
    #[serde(skip)]
    pub decimals: u8,
    /// On a time axis, where the value is drawn ("at 30 Sep 2022") or why it is not ("not
    /// drawn: period not recorded"); `None` on a chart of bars.
    pub plotted: Option<String>,
    /// On a time axis, the date the value is drawn at, if it is.
    #[serde(skip)]
    pub date: Option<crate::period::Date>,
}

/// A chart of one indicator, ready to draw and to table.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// Identifier, unique within a report section: usually the indicator id.
    pub id: String,
    /// The indicator charted.
    pub indicator: String,
    /// Headline title: what the chart shows, in a sentence.
    pub title: String,
    /// Statistical subtitle: measure, place and periods.
    pub subtitle: String,
    /// Plain-text description of what the numbers show, including direction in words.
    pub description: String,
    /// Unit of the values.
    pub unit: Unit,
    /// The bars, top to bottom; on a time axis, every value, drawn or not, series by series
    /// and then the comparators.
    pub rows: Vec<ChartRow>,
    /// The values on a time axis (lines, one a series, and comparators' points): the chart is
    /// drawn as lines; `None` for a chart of bars.
    #[serde(skip)]
    pub plot: Option<line::TimePlot>,
    /// The chart is drawn on a time axis: its table says where each value is drawn.
    pub timed: bool,
    /// Several indicators, one bar each ([`Chart::group`]): the rows are labelled by indicator,
    /// not by area.
    pub grouped: bool,
    /// The figures are made up (of a section declared `synthetic`): the CSV says so.
    pub synthetic: bool,
}

impl Chart {
    /// The usual chart of a figure: this period, the same period last year, then each comparator.
    /// `None` when there is nothing to compare (a single value, or no value). `place` is who
    /// the figures are of ([`crate::sections::place`]).
    pub fn comparison(def: &IndicatorDef, figure: &Figure, place: &str) -> Option<Chart> {
        let value = figure.value?;
        let mut rows = vec![ChartRow {
            label: place.to_string(),
            period: figure.period.short_label(),
            value,
            display: figure.display_value(def),
            decimals: figure.decimals.0,
            plotted: None,
            date: None,
        }];
        if let (Some(last), Some(display)) = (figure.last_year, figure.display_last_year(def)) {
            rows.push(ChartRow {
                label: place.to_string(),
                period: figure.last_year_label(),
                value: last,
                display,
                decimals: figure.decimals.1,
                plotted: None,
                date: None,
            });
        }
        for c in &figure.comparators {
            rows.push(ChartRow {
                label: c.name.clone(),
                period: c.basis_label(),
                value: c.value,
                display: c.display_value(def),
                decimals: c.decimals,
                plotted: None,
                date: None,
            });
        }
        if rows.len() < 2 {
            return None;
        }
        let periods: Vec<String> = rows.iter().map(|r| r.period.clone()).collect();
        let subtitle = format!(
            "{} ({}), {}, {}",
            def.name,
            def.unit.label(),
            place,
            period_range(&periods)
        );
        let description = describe(def, figure, place);
        Some(Chart {
            id: def.id.to_string(),
            indicator: def.id.to_string(),
            title: headline_title(def, figure, place),
            subtitle,
            description,
            unit: def.unit,
            rows,
            plot: None,
            timed: false,
            grouped: false,
            synthetic: false,
        })
    }

    /// A chart of indicators of one unit, one bar each: `group`'s figures in `data`, `None`
    /// with fewer than two values.
    pub fn group(
        group: &ChartGroup,
        decl: &SectionDecl,
        data: &SectionData,
        place: &str,
    ) -> Option<Chart> {
        let figures: Vec<(&IndicatorDef, &Figure)> = group
            .indicators
            .iter()
            .filter_map(|id| Some((decl.indicator(id)?, data.get(id)?)))
            .filter(|(_, f)| f.value.is_some())
            .collect();
        let (first_def, _) = figures.first()?;
        let rows: Vec<ChartRow> = figures
            .iter()
            .filter_map(|(def, f)| {
                Some(ChartRow {
                    label: def.name.to_string(),
                    period: f.period.short_label(),
                    value: f.value?,
                    display: f.display_value(def),
                    decimals: f.decimals.0,
                    plotted: None,
                    date: None,
                })
            })
            .collect();
        if rows.len() < 2 {
            return None;
        }
        let periods: Vec<String> = rows.iter().map(|r| r.period.clone()).collect();
        let listed: Vec<String> = figures
            .iter()
            .map(|(def, f)| {
                format!(
                    "{} {} {}",
                    def.name,
                    f.display_value(def),
                    f.period.phrase()
                )
            })
            .collect();
        Some(Chart {
            id: group.id.to_string(),
            indicator: first_def.id.to_string(),
            title: group.title.to_string(),
            subtitle: format!(
                "{}, {place}, {}",
                first_def.unit.label(),
                period_range(&periods)
            ),
            description: format!("{place}: {}.", join_words(&listed)),
            unit: first_def.unit,
            rows,
            plot: None,
            timed: false,
            grouped: true,
            synthetic: false,
        })
    }

    /// The chart's numbers as CSV: label, period, value, unit; on a time axis the date each
    /// value is drawn at (`plotted_at`, empty for a value not drawn); and for made-up figures a
    /// `synthetic` column that says so.
    pub fn csv(&self) -> String {
        let mut header = vec!["label", "period", "value", "unit"];
        header.extend(self.timed.then_some("plotted_at"));
        header.extend(self.synthetic.then_some("synthetic"));
        let records = self.rows.iter().map(|row| {
            let mut fields = vec![
                row.label.clone(),
                row.period.clone(),
                csv_number(row.value, row.decimals),
                self.unit.label().to_string(),
            ];
            if self.timed {
                fields.push(row.date.map(|d| d.iso()).unwrap_or_default());
            }
            if self.synthetic {
                fields.push("true".into());
            }
            fields
        });
        let header = header.into_iter().map(str::to_string).collect();
        String::from_utf8(crate::opendata::csv(std::iter::once(header).chain(records)))
            .unwrap_or_default()
    }

    /// Draws the chart as an accessible inline SVG. `dom_id` must be unique on the page.
    pub fn svg(&self, dom_id: &str) -> String {
        let svg = match &self.plot {
            Some(plot) => line::draw(plot, self.unit),
            None => self.bars(),
        };
        accessible_svg(
            &svg,
            dom_id,
            &format!("{}. {}", self.title, self.subtitle),
            &self.description,
        )
    }

    /// The chart as plotters' SVG of bars, one a row.
    fn bars(&self) -> String {
        let layout = self.layout();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (layout.width, layout.height))
                .into_drawing_area();
            let _ = root.fill(&WHITE);
            self.draw_rows(&root, &layout);
            self.draw_axis(&root, &layout);
            let _ = root.present();
        }
        svg
    }

    /// Where the chart's bars and labels go.
    fn layout(&self) -> Layout {
        // Drawn on a 900-unit-wide canvas and shown at most 720 px wide (the theme's
        // max-width), so 27-unit text (plotters writes 21.8) reads at about 17 px, like body text.
        let width: u32 = 900;
        let bar_height: u32 = 48;
        let gap: u32 = 16;
        let top: u32 = 16;
        let label_width: i32 = 370;
        let height = top + (bar_height + gap) * self.rows.len() as u32 + 30;
        let max = self
            .rows
            .iter()
            .map(|r| r.value)
            .fold(0.0_f64, f64::max)
            .max(f64::MIN_POSITIVE);
        // Room right of the longest bar for its value ("637 per 10,000"): about 13 units a
        // character at this size, plus the gap, so no value is cut off at the edge.
        let value_width = self
            .rows
            .iter()
            .map(|r| r.display.chars().count() as i32 * 13 + 24)
            .max()
            .unwrap_or(0)
            .max(110);
        let plot_width = (width as i32 - label_width - 10 - value_width) as f64;
        Layout {
            width,
            height,
            bar_height,
            gap,
            top,
            label_width,
            axis_x: label_width + 10,
            max,
            plot_width,
        }
    }

    /// Each row as a bar from the axis, its label and period left of it and its value right.
    fn draw_rows(&self, root: &DrawingArea<SVGBackend<'_>, Shift>, layout: &Layout) {
        let font = ("sans-serif", 27)
            .into_font()
            .color(&RGBColor(0x0b, 0x0c, 0x0c));
        let label_style = font.clone().pos(Pos::new(HPos::Right, VPos::Center));
        let value_style = font.pos(Pos::new(HPos::Left, VPos::Center));
        let Layout {
            bar_height,
            gap,
            top,
            label_width,
            axis_x,
            ..
        } = *layout;
        for (i, row) in self.rows.iter().enumerate() {
            let y = (top + i as u32 * (bar_height + gap)) as i32;
            let centre = y + bar_height as i32 / 2;
            let length = ((row.value / layout.max) * layout.plot_width).round() as i32;
            let colour = PALETTE[i % PALETTE.len()];
            // Two lines: who, then when, so long comparator names fit.
            let _ = root.draw(&Text::new(
                row.label.clone(),
                (label_width, centre - 12),
                label_style.clone(),
            ));
            let _ = root.draw(&Text::new(
                row.period.clone(),
                (label_width, centre + 12),
                label_style.clone(),
            ));
            let _ = root.draw(&Rectangle::new(
                [(axis_x, y), (axis_x + length.max(1), y + bar_height as i32)],
                colour.filled(),
            ));
            let _ = root.draw(&Text::new(
                row.display.clone(),
                (axis_x + length.max(1) + 8, centre),
                value_style.clone(),
            ));
        }
    }

    /// The axis the bars start from, the height of the rows.
    fn draw_axis(&self, root: &DrawingArea<SVGBackend<'_>, Shift>, layout: &Layout) {
        let Layout {
            bar_height,
            gap,
            top,
            axis_x,
            ..
        } = *layout;
        let baseline = (top + self.rows.len() as u32 * (bar_height + gap)) as i32;
        let _ = root.draw(&PathElement::new(
            vec![
                (axis_x, top as i32 - 4),
                (axis_x, baseline - gap as i32 + 4),
            ],
            BLACK.stroke_width(1),
        ));
    }
}

/// Where the parts of a chart go on its canvas, in SVG units.
#[derive(Clone, Copy)]
struct Layout {
    width: u32,
    height: u32,
    /// The height of a bar, and the gap below it.
    bar_height: u32,
    gap: u32,
    /// Above the first bar.
    top: u32,
    /// Where the labels end, right-aligned.
    label_width: i32,
    /// Where the bars start.
    axis_x: i32,
    /// The greatest value: its bar is `plot_width` long.
    max: f64,
    plot_width: f64,
}

impl SiteConfig {
    /// The authority's short name for charts: "Thurrock Council" → "Thurrock".
    pub fn authority_short(&self) -> String {
        self.authority.trim_end_matches(" Council").to_string()
    }
}

/// Adds `role="img"`, `<title>` and `<desc>` to plotters' SVG and makes it scale to its box.
fn accessible_svg(svg: &str, dom_id: &str, title: &str, desc: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return svg.to_string();
    };
    let open = &svg[..open_end];
    let view_box = open
        .split("viewBox=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .unwrap_or("0 0 720 300");
    let body = &svg[open_end + 1..];
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{view_box}\" class=\"chart-svg\" role=\"img\" aria-labelledby=\"{dom_id}-title {dom_id}-desc\" focusable=\"false\"><title id=\"{dom_id}-title\">{}</title><desc id=\"{dom_id}-desc\">{}</desc>{}",
        crate::escape::escape_text(title),
        crate::escape::escape_text(desc),
        body.trim_start()
    )
}

/// A number as CSV gives it: with the decimal places the source writes it with (`38.0`), or as
/// Rust writes it where that is not known (0).
pub fn csv_number(value: f64, decimals: u8) -> String {
    match decimals {
        0 => value.to_string(),
        d => format!("{value:.*}", usize::from(d)),
    }
}

fn period_range(periods: &[String]) -> String {
    let mut unique: Vec<&String> = Vec::new();
    for p in periods {
        if !unique.contains(&p) {
            unique.push(p);
        }
    }
    match unique.as_slice() {
        [] => String::new(),
        [one] => (*one).clone(),
        [first, .., last] if unique.len() == 2 => format!("{first} and {last}"),
        many => format!(
            "{} and {}",
            many[..many.len() - 1]
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            many[many.len() - 1]
        ),
    }
}

/// "Assessments completed in timescale: Thurrock 94% at 30 September 2022": the figure, with
/// no direction (the description says how it changed, as the source says or worked out).
fn headline_title(def: &IndicatorDef, figure: &Figure, place: &str) -> String {
    format!(
        "{}: {place} {} {}",
        def.name,
        figure.display_value(def),
        figure.period.phrase()
    )
}

/// Says in words how a figure compares: its value, the change on last year, each comparator,
/// and which direction is better.
pub fn describe(def: &IndicatorDef, figure: &Figure, place: &str) -> String {
    if figure.value.is_none() {
        return format!(
            "{place}'s figure {} is not recorded in the source.",
            figure.period.phrase()
        );
    }
    let mut sentences = vec![format!(
        "{place}: {} {}.",
        figure.display_value(def),
        figure.period.phrase()
    )];
    if let Some(target) = figure.target {
        sentences.push(format!("The target is {}.", def.unit.format(target)));
    }
    sentences.extend(change_sentence(def, figure));
    sentences.extend(comparison_sentence(def, figure, place));
    sentences.push(def.polarity.sentence().to_string());
    sentences.join(" ")
}

/// "Thurrock is higher than England average (84%, 2021-22) and …", when there are comparators.
pub fn comparison_sentence(def: &IndicatorDef, figure: &Figure, place: &str) -> Option<String> {
    let value = figure.value?;
    // A comparator whose basis the source leaves unclear, and which it compares with nothing,
    // is given as it is: no higher or lower is worked out against it.
    let (unclear, clear): (Vec<_>, Vec<_>) = figure
        .comparators
        .iter()
        .partition(|c| c.basis_note.is_some() && c.compared.is_none());
    let given: Vec<String> = unclear
        .iter()
        .map(|c| {
            format!(
                "the {} as {} ({})",
                c.name,
                c.display_value(def),
                c.basis_words()
            )
        })
        .collect();
    let comparisons: Vec<String> = clear
        .iter()
        .map(|c| {
            let word = c
                .compared
                .as_deref()
                .unwrap_or(compare_word(value, c.value));
            format!(
                "{word} the {} ({}, {})",
                c.name,
                c.display_value(def),
                c.basis_words()
            )
        })
        .collect();
    let mut sentences = Vec::new();
    if !comparisons.is_empty() {
        sentences.push(format!("{place} is {}.", join_words(&comparisons)));
    }
    if !given.is_empty() {
        sentences.push(format!(
            "The source gives {}, without comparing {place} with it.",
            join_words(&given)
        ));
    }
    (!sentences.is_empty()).then(|| sentences.join(" "))
}

/// The change on the same period last year, in words: as the source states it where it states
/// one ("Compared with 559 in Q2 2021-22, the source states an 11% drop."), else worked out
/// from the two figures and said to be ("Down 3% from 1,359 in Q2 2021-22, worked out from the
/// two figures."). `None` without both figures.
pub fn change_sentence(def: &IndicatorDef, figure: &Figure) -> Option<String> {
    let (value, last) = (figure.value?, figure.last_year?);
    let when = figure.last_year_phrase();
    let last_words = figure.display_last_year(def)?;
    if let Some(stated) = &figure.stated_change {
        return Some(format!(
            "Compared with {last_words} {when}, the source says “{stated}”."
        ));
    }
    if value == last {
        return Some(format!("The same as {when}."));
    }
    let direction = if value > last { "Up" } else { "Down" };
    let change = if def.unit == Unit::Percent {
        let points = (value - last).abs();
        format!(
            "{} percentage point{}",
            format_number(points),
            if points == 1.0 { "" } else { "s" }
        )
    } else if last != 0.0 {
        format!(
            "{}%",
            format_number(((value - last) / last * 100.0).abs().round())
        )
    } else {
        format_number((value - last).abs())
    };
    Some(format!(
        "{direction} {change} from {last_words} {when}, worked out from the two figures."
    ))
}

fn compare_word(value: f64, other: f64) -> &'static str {
    if value > other {
        "higher than"
    } else if value < other {
        "lower than"
    } else {
        "the same as"
    }
}

fn join_words(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Whether the polarity makes a change an improvement, in words, for cards: "an improvement".
pub fn judgement(polarity: Polarity, value: f64, other: f64) -> Option<&'static str> {
    match polarity {
        Polarity::Neutral | Polarity::NotStated => None,
        _ if value == other => None,
        Polarity::HigherIsBetter if value > other => Some("better"),
        Polarity::LowerIsBetter if value < other => Some("better"),
        _ => Some("worse"),
    }
}
