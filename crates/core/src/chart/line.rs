//! Lines on a time axis, drawn with plotters: each series a line of its own colour and marker
//! shape through its values, placed by date; comparators as hollow markers, never joined; every
//! point labelled with its value, and a legend in words below the axis.
//!
//! The layout is worked out here, not by plotters' chart builder, so the SVG is the same byte
//! for byte on every run: each value is a point at its date and height (a comparator's marker
//! that would cover another is set a marker's width beside it), each label placed in the first
//! of a few spots around its point that no line, marker or other label takes.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PALETTE;
use crate::indicator::{Unit, format_number};
use crate::period::{Date, Period};

/// A chart's values on a time axis.
#[derive(Debug, Clone, Default)]
pub struct TimePlot {
    /// The series, each drawn as a line through its points.
    pub lines: Vec<Line>,
    /// The comparators, each drawn as points that are not joined.
    pub marks: Vec<Line>,
    /// Whether the values are counted in whole units (children, days): the value axis then
    /// marks whole numbers only.
    pub whole: bool,
}

/// The points of one series or comparator, and its name for the legend.
#[derive(Debug, Clone)]
pub struct Line {
    /// The name the legend gives it.
    pub name: String,
    /// Its points, oldest first.
    pub points: Vec<Point>,
}

/// One value drawn: where, and its label.
#[derive(Debug, Clone)]
pub struct Point {
    /// The date it is drawn at.
    pub date: Date,
    /// The value.
    pub value: f64,
    /// What its label says: the value with its unit.
    pub label: String,
}

/// The shape of a series' or comparator's markers, so that none is told apart by colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A circle.
    Circle,
    /// A square.
    Square,
    /// A triangle, point up.
    Triangle,
    /// A diamond.
    Diamond,
    /// A triangle, point down.
    TriangleDown,
}

/// The markers in the order series, then comparators, take them.
pub const MARKERS: [Marker; 5] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
    Marker::TriangleDown,
];

impl Marker {
    /// The character that shows the marker in text: "●" for a circle.
    pub fn symbol(self) -> &'static str {
        match self {
            Marker::Circle => "●",
            Marker::Square => "■",
            Marker::Triangle => "▲",
            Marker::Diamond => "◆",
            Marker::TriangleDown => "▼",
        }
    }

    /// The `i`th series' or comparator's marker.
    pub fn nth(i: usize) -> Marker {
        MARKERS[i % MARKERS.len()]
    }
}

/// The `i`th series' or comparator's colour.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

const TEXT: RGBColor = RGBColor(0x0b, 0x0c, 0x0c);
const GRID: RGBColor = RGBColor(0xb1, 0xb4, 0xb6);
/// The thin line from a label that stands away from its point to the point.
const LEADER: RGBColor = RGBColor(0x50, 0x5a, 0x5f);
const WIDTH: i32 = 900;
/// Left of the plot: the values of the vertical axis.
const LEFT: i32 = 120;
/// Right of the plot: room for the labels of the latest points.
const RIGHT: i32 = 150;
/// Above the plot: the unit.
const TOP: i32 = 64;
const PLOT_HEIGHT: i32 = 330;
/// Below the plot: the dates.
const AXIS_LABELS: i32 = 56;
const LEGEND_ROW: i32 = 40;
/// Font sizes as plotters takes them (it writes 1/1.24 of it), and the width of a character at
/// each, generously, in SVG units.
const FONT: u32 = 27;
const CHAR_WIDTH: i32 = 13;
const LABEL_FONT: u32 = 25;
const LABEL_CHAR_WIDTH: i32 = 12;
const LABEL_HEIGHT: i32 = 26;
const MARKER_SIZE: i32 = 8;

/// Draws `plot`, of values in `unit`, as plotters' SVG.
pub fn draw(plot: &TimePlot, unit: Unit) -> String {
    let scale = Scale::of(plot);
    let entries = plot.lines.len() + plot.marks.len();
    let height = TOP + PLOT_HEIGHT + AXIS_LABELS + LEGEND_ROW * entries as i32 + 12;
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (WIDTH as u32, height as u32)).into_drawing_area();
        let _ = root.fill(&WHITE);
        draw_axes(&root, &scale, unit);
        draw_values(&root, &scale, plot);
        draw_legend(&root, plot, TOP + PLOT_HEIGHT + AXIS_LABELS);
        let _ = root.present();
    }
    svg
}

/// From dates and values to places on the canvas.
pub(super) struct Scale {
    /// The first and last day of the axis, as days since 1970.
    start: i64,
    end: i64,
    /// The top of the vertical axis, and the step between its values; it starts at 0.
    max: f64,
    step: f64,
    /// The plot's box: left, right, top and bottom.
    left: i32,
    right: i32,
    top: i32,
    bottom: i32,
}

impl Scale {
    /// The scale of the big chart: every point of `plot`, with a margin of time either side.
    fn of(plot: &TimePlot) -> Scale {
        let points = || plot.lines.iter().chain(&plot.marks).flat_map(|l| &l.points);
        let scale = Scale::fit(
            points().map(|p| (p.date, p.value)),
            (LEFT, WIDTH - RIGHT, TOP, TOP + PLOT_HEIGHT),
        );
        if plot.whole {
            scale.in_whole_steps()
        } else {
            scale
        }
    }

    /// The same scale, its value axis marked in whole numbers: a step of 2.5 becomes 2, one
    /// under 1 becomes 1.
    fn in_whole_steps(mut self) -> Scale {
        if self.step.fract() != 0.0 {
            self.step = self.step.floor().max(1.0);
            self.max = (self.max / self.step).ceil() * self.step;
        }
        self
    }

    /// A scale that fits `points` in the box (left, right, top, bottom): the time axis runs a
    /// little before the first date and after the last, the value axis from 0 to a round
    /// number above the greatest value.
    pub(super) fn fit(
        points: impl Iterator<Item = (Date, f64)> + Clone,
        (left, right, top, bottom): (i32, i32, i32, i32),
    ) -> Scale {
        let days = points.clone().map(|(d, _)| d.days());
        let (first, last) = (days.clone().min().unwrap_or(0), days.max().unwrap_or(0));
        let margin = ((last - first) / 16).max(45);
        let greatest = points.map(|(_, v)| v).fold(0.0_f64, f64::max);
        let step = round_step(greatest / 4.0);
        Scale {
            start: first - margin,
            end: last + margin,
            max: ((greatest / step).ceil() * step).max(step),
            step,
            left,
            right,
            top,
            bottom,
        }
    }

    /// Where `date` is across.
    pub(super) fn x(&self, date: Date) -> i32 {
        let share = (date.days() - self.start) as f64 / (self.end - self.start).max(1) as f64;
        self.left + (share * f64::from(self.right - self.left)).round() as i32
    }

    /// Where `value` is down.
    pub(super) fn y(&self, value: f64) -> i32 {
        let share = value / self.max;
        self.bottom - (share * f64::from(self.bottom - self.top)).round() as i32
    }

    /// The values the vertical axis marks: 0, one step, two… up to its top.
    fn values(&self) -> Vec<f64> {
        let steps = (self.max / self.step).round() as usize;
        (0..=steps).map(|i| i as f64 * self.step).collect()
    }

    /// The first days of the months the time axis marks, as few as leave room for their
    /// labels: every month, quarter, half year, year, two or five years.
    fn dates(&self) -> Vec<Date> {
        let first = Date::from_days(self.start);
        let room = (self.right - self.left) / (CHAR_WIDTH * 9);
        for months in [1, 3, 6, 12, 24, 60] {
            let mut dates = Vec::new();
            let (mut year, mut month) = (first.year, first.month);
            loop {
                let date = Date {
                    year,
                    month,
                    day: 1,
                };
                if date.days() > self.end {
                    break;
                }
                let index = i32::from(year) * 12 + i32::from(month) - 1;
                if date.days() >= self.start && index % months == 0 {
                    dates.push(date);
                }
                (year, month) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
            }
            if dates.len() as i32 <= room.max(2) {
                return dates;
            }
        }
        Vec::new()
    }
}

/// A round step for an axis of about `rough` a step: 1, 2, 2.5 or 5 times a power of ten.
fn round_step(rough: f64) -> f64 {
    if rough <= 0.0 || !rough.is_finite() {
        return 1.0;
    }
    let power = 10_f64.powf(rough.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * power)
}

/// The unit above the plot, the value axis with a light line at each of its values, and the
/// time axis with the first day of the months it marks.
fn draw_axes(root: &DrawingArea<SVGBackend<'_>, Shift>, scale: &Scale, unit: Unit) {
    let font = ("sans-serif", FONT).into_font().color(&TEXT);
    let _ = root.draw(&Text::new(
        capitalised(unit.label()),
        (24, TOP - 40),
        font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
    ));
    for value in scale.values() {
        let y = scale.y(value);
        let line = if value == 0.0 { TEXT } else { GRID };
        let _ = root.draw(&PathElement::new(
            vec![(scale.left, y), (scale.right, y)],
            line.stroke_width(1),
        ));
        let label = match unit {
            Unit::Percent => format!("{}%", format_number(value)),
            _ => format_number(value),
        };
        let _ = root.draw(&Text::new(
            label,
            (scale.left - 12, y),
            font.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ));
    }
    for date in scale.dates() {
        let x = scale.x(date);
        let _ = root.draw(&PathElement::new(
            vec![(x, scale.bottom), (x, scale.bottom + 8)],
            TEXT.stroke_width(1),
        ));
        let _ = root.draw(&Text::new(
            Period::Month {
                year: date.year,
                month: date.month,
            }
            .short_label(),
            (x, scale.bottom + 28),
            font.clone().pos(Pos::new(HPos::Center, VPos::Center)),
        ));
    }
}

/// Each series' line, then each label placed clear of the lines, the markers and the labels
/// before it (with a thin line to its point when it stands away from it), then the markers:
/// filled for the series, hollow for the comparators.
fn draw_values(root: &DrawingArea<SVGBackend<'_>, Shift>, scale: &Scale, plot: &TimePlot) {
    // (centre, label, marker index, filled), series first.
    let mut marked: Vec<((i32, i32), &str, usize, bool)> = Vec::new();
    let mut taken: Vec<Spot> = Vec::new();
    for (i, line) in plot.lines.iter().enumerate() {
        let at: Vec<(i32, i32)> = line
            .points
            .iter()
            .map(|p| (scale.x(p.date), scale.y(p.value)))
            .collect();
        if at.len() > 1 {
            let _ = root.draw(&PathElement::new(at.clone(), colour(i).stroke_width(3)));
            taken.extend(at.windows(2).flat_map(|w| along(w[0], w[1])));
        }
        marked.extend(
            at.into_iter()
                .zip(&line.points)
                .map(|(c, p)| (c, p.label.as_str(), i, true)),
        );
    }
    for (j, mark) in plot.marks.iter().enumerate() {
        for p in &mark.points {
            let centre = beside(
                (scale.x(p.date), scale.y(p.value)),
                marked.iter().map(|m| m.0),
            );
            marked.push((centre, &p.label, plot.lines.len() + j, false));
        }
    }
    taken.extend(marked.iter().map(|m| Spot::around(m.0, MARKER_SIZE + 2)));
    let mut labels = Vec::new();
    for (centre, label, _, _) in &marked {
        let at = place_label(*centre, label, &taken, scale);
        taken.push(at);
        if let Some(end) = at.leader_end(*centre) {
            let _ = root.draw(&PathElement::new(
                vec![*centre, end],
                LEADER.stroke_width(1),
            ));
        }
        labels.push((at, *label));
    }
    for (centre, _, k, filled) in &marked {
        draw_marker(root, Marker::nth(*k), *centre, colour(*k), *filled);
    }
    let font = ("sans-serif", LABEL_FONT)
        .into_font()
        .color(&TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (at, label) in labels {
        let _ = root.draw(&Text::new(
            label.to_string(),
            (at.x, at.y + at.h / 2),
            font.clone(),
        ));
    }
}

/// Where a comparator's marker at `centre` goes: there, or if it would cover a marker drawn
/// already (comparators of one period and close values), set beside it, a marker's width to the
/// right, so that each can be seen; its label and the table give its period.
fn beside(centre: (i32, i32), drawn: impl Iterator<Item = (i32, i32)> + Clone) -> (i32, i32) {
    let step = 2 * MARKER_SIZE + 6;
    let mut at = centre;
    while drawn
        .clone()
        .any(|(x, y)| (x - at.0).abs() < step && (y - at.1).abs() < step)
    {
        at.0 += step;
    }
    at
}

/// Small spots along the segment from `a` to `b`, every few units, that a label must not cover.
fn along(a: (i32, i32), b: (i32, i32)) -> Vec<Spot> {
    let length = f64::from((b.0 - a.0).pow(2) + (b.1 - a.1).pow(2)).sqrt();
    let steps = (length / 6.0).ceil().max(1.0) as i32;
    (0..=steps)
        .map(|k| {
            let x = a.0 + (b.0 - a.0) * k / steps;
            let y = a.1 + (b.1 - a.1) * k / steps;
            Spot::around((x, y), 2)
        })
        .collect()
}

/// One marker of `shape` at `centre`: filled for a series' value, hollow (white inside, a
/// coloured edge) for a comparator's.
pub(super) fn draw_marker(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    shape: Marker,
    (x, y): (i32, i32),
    colour: RGBColor,
    filled: bool,
) {
    draw_shape(root, shape, (x, y), MARKER_SIZE, colour, filled);
}

/// A marker of `shape` and half-width `r` at (`x`, `y`).
pub(super) fn draw_shape(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    shape: Marker,
    (x, y): (i32, i32),
    r: i32,
    colour: RGBColor,
    filled: bool,
) {
    let corners: Vec<(i32, i32)> = match shape {
        Marker::Circle => {
            let style = if filled {
                colour.filled()
            } else {
                colour.stroke_width(3)
            };
            if !filled {
                let _ = root.draw(&Circle::new((x, y), r, WHITE.filled()));
            }
            let _ = root.draw(&Circle::new((x, y), r, style));
            return;
        }
        Marker::Square => vec![
            (x - r, y - r),
            (x + r, y - r),
            (x + r, y + r),
            (x - r, y + r),
        ],
        Marker::Triangle => vec![(x, y - r - 2), (x + r + 2, y + r), (x - r - 2, y + r)],
        Marker::Diamond => vec![
            (x, y - r - 2),
            (x + r + 2, y),
            (x, y + r + 2),
            (x - r - 2, y),
        ],
        Marker::TriangleDown => vec![(x - r - 2, y - r), (x + r + 2, y - r), (x, y + r + 2)],
    };
    if filled {
        let _ = root.draw(&Polygon::new(corners, colour.filled()));
    } else {
        let _ = root.draw(&Polygon::new(corners.clone(), WHITE.filled()));
        let mut edge = corners.clone();
        edge.push(corners[0]);
        let _ = root.draw(&PathElement::new(edge, colour.stroke_width(3)));
    }
}

/// A place on the canvas a label or marker takes: its top-left corner, width and height.
#[derive(Debug, Clone, Copy)]
struct Spot {
    x: i32,
    y: i32,
    w: i32,
    h: i32,
}

impl Spot {
    /// The square of half-width `r` around `centre`.
    fn around((x, y): (i32, i32), r: i32) -> Spot {
        Spot {
            x: x - r,
            y: y - r,
            w: 2 * r,
            h: 2 * r,
        }
    }

    fn overlaps(&self, other: &Spot) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }

    /// The point of this label's box nearest `centre`, when the box stands further from it
    /// than a label next to its point does: where a line to the point starts.
    fn leader_end(&self, (x, y): (i32, i32)) -> Option<(i32, i32)> {
        let near = (
            x.clamp(self.x, self.x + self.w),
            y.clamp(self.y, self.y + self.h),
        );
        let far = (near.0 - x).abs().max((near.1 - y).abs()) > MARKER_SIZE + 6 + LABEL_HEIGHT / 2;
        far.then_some(near)
    }
}

/// Where the label of the point at `centre` goes: the first spot, nearest first, that stays on
/// the canvas and covers nothing already taken; else the first on the canvas.
fn place_label((x, y): (i32, i32), label: &str, taken: &[Spot], scale: &Scale) -> Spot {
    let w = label.chars().count() as i32 * LABEL_CHAR_WIDTH;
    let h = LABEL_HEIGHT;
    let gap = MARKER_SIZE + 6;
    // Next to the point first (above, below, right, left), then a row further out each time.
    let mut spots = Vec::new();
    for k in 0..6 {
        let out = k * h;
        spots.extend([
            (x - w / 2, y - gap - h - out),
            (x - w / 2, y + gap + out),
            (x + gap, y - h / 2 - out),
            (x + gap, y - h / 2 + out),
            (x - gap - w, y - h / 2 - out),
            (x - gap - w, y - h / 2 + out),
        ]);
    }
    let on_canvas = |b: &Spot| {
        b.x >= 4 && b.x + b.w <= WIDTH - 4 && b.y >= scale.top - 24 && b.y + b.h <= scale.bottom
    };
    let spots: Vec<Spot> = spots
        .into_iter()
        .map(|(x, y)| Spot { x, y, w, h })
        .collect();
    spots
        .iter()
        .find(|b| on_canvas(b) && !taken.iter().any(|t| t.overlaps(b)))
        .or_else(|| spots.iter().find(|b| on_canvas(b)))
        .copied()
        .unwrap_or(spots[0])
}

/// The legend below the axis, from `top`: each series' line and marker, each comparator's
/// hollow marker, and its name.
fn draw_legend(root: &DrawingArea<SVGBackend<'_>, Shift>, plot: &TimePlot, top: i32) {
    let font = ("sans-serif", FONT)
        .into_font()
        .color(&TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let entries = plot
        .lines
        .iter()
        .map(|l| (l, true))
        .chain(plot.marks.iter().map(|m| (m, false)));
    for (k, (entry, is_line)) in entries.enumerate() {
        let y = top + LEGEND_ROW * k as i32 + LEGEND_ROW / 2;
        if is_line {
            let _ = root.draw(&PathElement::new(
                vec![(24, y), (80, y)],
                colour(k).stroke_width(3),
            ));
        }
        draw_marker(root, Marker::nth(k), (52, y), colour(k), is_line);
        let _ = root.draw(&Text::new(entry.name.clone(), (96, y), font.clone()));
    }
}

/// "per cent" → "Per cent".
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
