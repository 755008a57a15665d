//! Validation: the checks that tie a site's figures together, run once everything is loaded
//! (each figure has been checked against its unit, period and source while loading).

use crate::diag::Diagnostics;
use crate::figure::Figure;
use crate::site::Site;

/// Runs every section's checks on each of its data files, checks each report's rates against
/// its counts, and the series every figure of an indicator names.
pub fn site(site: &Site<'_>, diags: &mut Diagnostics) {
    for data in site.reports.iter().flat_map(|r| &r.data) {
        site.section_of(data).check(data, diags);
    }
    let rates = site.rates();
    for report in &site.reports {
        let figures: Vec<&Figure> = report.data.iter().flat_map(|d| d.figures.iter()).collect();
        crate::checks::check_rates(&rates, &figures, diags);
    }
    let every: Vec<&Figure> = site
        .reports
        .iter()
        .flat_map(|r| r.data.iter().flat_map(|d| d.figures.iter()))
        .chain(site.other_figures.iter())
        .collect();
    crate::figure::check_series(&every, diags);
    crate::corrections::check_previous(site, diags);
}
