//! The small trend line of a home-page card: an indicator's dated values on a time axis, one
//! line a series (never one line joining two), drawn where it has three or more, with its
//! numbers in words beside it so that no one needs the drawing to read them.

use plotters::prelude::*;
use serde::Serialize;

use super::history::{HistoryPoint, Series, by_series, left_out_sentence, series_change};
use super::line::{Marker, Scale, colour, draw_shape};
use crate::indicator::IndicatorDef;

/// The fewest dated values a card's trend line is drawn with.
pub const SPARKLINE_MIN_VALUES: usize = 3;

const WIDTH: i32 = 300;
const HEIGHT: i32 = 64;

/// A card's trend line and its numbers in words.
#[derive(Debug, Clone, Serialize)]
pub struct Sparkline {
    /// The drawing, hidden from assistive technology: [`Sparkline::series`] says what it shows.
    pub svg: String,
    /// The time it spans: "30 Sep 2021 to 31 Aug 2024".
    pub span: String,
    /// Each series drawn, as a line of text.
    pub series: Vec<SparkSeries>,
    /// The values it leaves out, as their sources do not date them exactly, in words.
    pub left_out: Option<String>,
}

/// One series of a trend line, in words.
#[derive(Debug, Clone, Serialize)]
pub struct SparkSeries {
    /// The character of its marker ("●"), when there are several series to tell apart.
    pub symbol: Option<&'static str>,
    /// Its name.
    pub name: String,
    /// Its values, oldest first: "49% (30 Sep 2021), 54% (30 Sep 2022)".
    pub values: String,
    /// How it changed from the first to the latest: "rose by 5 percentage points".
    pub change: String,
}

impl Sparkline {
    /// The trend line of `def`'s history, `points` oldest first, of `place`: `None` with fewer
    /// than [`SPARKLINE_MIN_VALUES`] values whose date is known (values of a period not recorded
    /// or only approximate are not drawn).
    pub fn of(def: &IndicatorDef, points: &[HistoryPoint], place: &str) -> Option<Sparkline> {
        let all = by_series(points, place);
        let series: Vec<&Series<'_>> = all.iter().filter(|s| !s.dated().is_empty()).collect();
        let dated: Vec<_> = series.iter().flat_map(|s| s.dated()).collect();
        if dated.len() < SPARKLINE_MIN_VALUES {
            return None;
        }
        // The span in the periods' own words ("Sep 2021", not the day it is drawn at).
        let first = dated.iter().min_by_key(|(d, _)| *d)?.1.period;
        let last = dated.iter().max_by_key(|(d, _)| *d)?.1.period;
        let several = series.len() > 1;
        let words = series
            .iter()
            .enumerate()
            .map(|(i, s)| SparkSeries {
                symbol: several.then(|| Marker::nth(i).symbol()),
                name: s.name.clone(),
                values: s
                    .dated()
                    .iter()
                    .map(|(_, p)| format!("{} ({})", p.display, p.period.short_label()))
                    .collect::<Vec<_>>()
                    .join(", "),
                change: series_change(def.unit, s).unwrap_or_else(|| "a single value".into()),
            })
            .collect();
        Some(Sparkline {
            svg: draw(&series),
            span: format!("{} to {}", first.short_label(), last.short_label()),
            series: words,
            left_out: left_out_sentence(&all, &[]),
        })
    }
}

/// The trend line's SVG: each series' line and markers, scaled to a small box, hidden from
/// assistive technology (its numbers are in the card's text).
fn draw(series: &[&Series<'_>]) -> String {
    let scale = Scale::fit(
        series
            .iter()
            .flat_map(|s| s.dated())
            .map(|(d, p)| (d, p.value))
            .collect::<Vec<_>>()
            .into_iter(),
        (8, WIDTH - 8, 8, HEIGHT - 8),
    );
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (WIDTH as u32, HEIGHT as u32)).into_drawing_area();
        let _ = root.draw(&PathElement::new(
            vec![(8, HEIGHT - 8), (WIDTH - 8, HEIGHT - 8)],
            RGBColor(0xb1, 0xb4, 0xb6).stroke_width(1),
        ));
        for (i, s) in series.iter().enumerate() {
            let at: Vec<(i32, i32)> = s
                .dated()
                .iter()
                .map(|(d, p)| (scale.x(*d), scale.y(p.value)))
                .collect();
            if at.len() > 1 {
                let _ = root.draw(&PathElement::new(at.clone(), colour(i).stroke_width(2)));
            }
            for centre in at {
                draw_shape(&root, Marker::nth(i), centre, 4, colour(i), true);
            }
        }
        let _ = root.present();
    }
    hidden_svg(&svg)
}

/// plotters' SVG as a trend line: scaled to its box and hidden from assistive technology.
fn hidden_svg(svg: &str) -> String {
    let body = svg.find('>').map_or(svg, |end| &svg[end + 1..]);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" class=\"sparkline\" aria-hidden=\"true\" focusable=\"false\">{}",
        body.trim_start()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::{Polarity, Unit};

    fn def() -> IndicatorDef {
        IndicatorDef::new(
            "contacts",
            "Contacts",
            Unit::Count,
            Polarity::Neutral,
            "A test.",
        )
    }

    fn value(period: &str, value: f64, series: Option<&str>) -> HistoryPoint {
        HistoryPoint {
            period: period.parse().expect("a period"),
            value,
            display: Unit::Count.format(value),
            decimals: 0,
            approximate: false,
            series: series.map(str::to_string),
            stated_change: None,
        }
    }

    #[test]
    fn a_cards_sparkline_has_its_numbers_in_text() {
        let points = [
            value("not recorded", 1400.0, None),
            value("2021-22 Q2", 1359.0, None),
            value("2022-23 Q1", 1250.0, None),
            value("2022-23 Q2", 1323.0, None),
        ];
        let line = Sparkline::of(&def(), &points, "Thurrock").expect("three dated values");
        assert_eq!(
            line.span, "Q2 2021-22 to Q2 2022-23",
            "as the periods are written"
        );
        assert_eq!(line.series.len(), 1);
        let words = &line.series[0];
        assert_eq!(words.name, "Thurrock");
        assert_eq!(words.symbol, None);
        assert_eq!(
            words.values,
            "1,359 (Q2 2021-22), 1,250 (Q1 2022-23), 1,323 (Q2 2022-23)"
        );
        assert_eq!(
            words.change,
            "from the first to the latest it fell by 3%, worked out from the values"
        );
        assert!(
            line.svg.contains("aria-hidden=\"true\""),
            "the text says it all"
        );
        assert_eq!(
            line.svg.matches("<polyline").count(),
            2,
            "a baseline and one line"
        );
    }

    #[test]
    fn a_sparkline_needs_three_dated_values_and_keeps_its_series_apart() {
        let two = [
            value("2021-22 Q2", 1.0, None),
            value("2022-23 Q2", 2.0, None),
            value("not recorded", 3.0, None),
        ];
        assert!(Sparkline::of(&def(), &two, "Thurrock").is_none());
        let points = [
            value("2021-09-30", 49.0, Some("Aged 19 to 21")),
            value("2022-09-30", 54.0, Some("Aged 19 to 21")),
            value("2023-09", 58.6, Some("Ages not stated")),
        ];
        let line = Sparkline::of(&def(), &points, "Thurrock").expect("three dated values");
        let named: Vec<(Option<&str>, &str)> = line
            .series
            .iter()
            .map(|s| (s.symbol, s.name.as_str()))
            .collect();
        assert_eq!(
            named,
            [(Some("●"), "Aged 19 to 21"), (Some("■"), "Ages not stated")]
        );
        assert_eq!(line.series[1].change, "a single value");
        // Two lines are not joined: one polyline of two points, a lone square for the other.
        let polylines: Vec<&str> = line.svg.split("<polyline").skip(1).collect();
        assert_eq!(polylines.len(), 2, "{}", line.svg);
    }
}
