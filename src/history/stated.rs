//! The date a policy states for itself: "Last updated: March 5, 2024", "Effective as
//! of 12 March 2026", "Revised 2025-06-11", read from the normalized text.
//!
//! The first labelled date in reading order is the version's stated date, written
//! `YYYY-MM-DD` (or `YYYY-MM` where the text names only a month). Sentences that talk
//! *about* the date ("we will update the Last updated date above") hold no date and
//! are passed over.

use std::sync::OnceLock;

use regex::Regex;

use crate::document::Document;

/// Month names, January first (lowercase).
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Label, then at most a few words of filler (`Date`, `:`, `on`, `as of`, emphasis
/// marks, a region such as "outside the EEA"), then the date.
fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let month = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
        let date = format!(
            r"(?P<iso>\d{{4}}-\d{{1,2}}-\d{{1,2}})|(?P<mdy>{month}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})|(?P<dmy>\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{month},?\s+\d{{4}})|(?P<my>{month},?\s+\d{{4}})|(?P<num>\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}})"
        );
        let label = r"(?:last\s+(?:updated|modified|revised|changed|amended)|(?:date\s+of\s+)?last\s+revision|effective(?:\s+date)?|revised|updated|modified)";
        Regex::new(&format!(r"(?i)\b{label}\b[\s*_:,\-–—]*(?:(?:on|as\s+of|from|date|in|the|for|outside|within|of|[A-Za-z]{{2,12}}[:,]?)[\s*_:,\-–—]*){{0,6}}?(?:{date})"))
            .expect("the stated-date pattern is valid")
    })
}

/// The policy's own date, if its text states one.
pub fn stated_date(doc: &Document) -> Option<String> {
    let re = pattern();
    let texts = doc.title.iter().map(|t| std::borrow::Cow::Borrowed(t.as_str())).chain(
        doc.sections.iter().flat_map(|s| {
            s.heading
                .iter()
                .map(|h| std::borrow::Cow::Borrowed(h.as_str()))
                .chain(s.blocks.iter().map(|b| b.text()))
        }),
    );
    for text in texts {
        for caps in re.captures_iter(&text) {
            if let Some(date) = read_date(&caps) {
                return Some(date);
            }
        }
    }
    None
}

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| m.starts_with(w.as_str())).map(|i| i as u32 + 1)
}

fn day_and_year(day: &str, year: &str) -> Option<(u32, i32)> {
    let day: u32 = day.trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse().ok()?;
    let year: i32 = year.parse().ok()?;
    Some((day, year))
}

fn ymd(year: i32, month: u32, day: u32) -> Option<String> {
    chrono::NaiveDate::from_ymd_opt(year, month, day)
        .filter(|_| (1990..=2100).contains(&year))
        .map(|d| d.format("%Y-%m-%d").to_string())
}

fn read_date(caps: &regex::Captures<'_>) -> Option<String> {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty() && *w != "of")
            .map(str::to_string)
            .collect()
    };
    if let Some(m) = caps.name("iso") {
        let mut it = m.as_str().split('-').map(|p| p.parse::<u32>().ok());
        let (y, mo, d) = (it.next()??, it.next()??, it.next()??);
        return ymd(y as i32, mo, d);
    }
    if let Some(m) = caps.name("mdy") {
        let w = words(m.as_str());
        let (day, year) = day_and_year(w.get(1)?, w.get(2)?)?;
        return ymd(year, month_number(&w[0])?, day);
    }
    if let Some(m) = caps.name("dmy") {
        let w = words(m.as_str());
        let (day, year) = day_and_year(&w[0], w.get(2)?)?;
        return ymd(year, month_number(w.get(1)?)?, day);
    }
    if let Some(m) = caps.name("my") {
        let w = words(m.as_str());
        let year: i32 = w.get(1)?.parse().ok()?;
        let month = month_number(&w[0])?;
        return (1990..=2100).contains(&year).then(|| format!("{year:04}-{month:02}"));
    }
    if let Some(m) = caps.name("num") {
        // 03/05/2024 is read the American way (month first) unless that cannot be a date.
        let p: Vec<u32> = m.as_str().split(['/', '.']).filter_map(|x| x.parse().ok()).collect();
        let (a, b, y) = (*p.first()?, *p.get(1)?, *p.get(2)? as i32);
        return ymd(y, a, b).or_else(|| ymd(y, b, a));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_markdown;

    fn date_of(md: &str) -> Option<String> {
        stated_date(&normalize_markdown(md))
    }

    #[test]
    fn the_forms_real_policies_use_are_read() {
        for (text, want) in [
            ("# Privacy Policy\n\nLast updated: 12 March 2026\n\nWe collect data.", "2026-03-12"),
            ("# Terms\n\nEffective September 24, 2024. Last Revised September 24, 2024\n", "2024-09-24"),
            ("# Terms\n\n**Last Updated:** 2025-06-11\n", "2025-06-11"),
            ("# Terms\n\n**Last Updated**: 2026-04-07\n", "2026-04-07"),
            ("# Policy\n\nEffective date: 30 April 2025\n", "2025-04-30"),
            ("# Policy\n\nEffective Date in EEA, UK, and Switzerland: April 30, 2024\n", "2024-04-30"),
            ("# Policy\n\nUpdated: March 21, 2025\n", "2025-03-21"),
            ("# Policy\n\nRevised on Jan. 5th, 2019.\n", "2019-01-05"),
            ("# Policy\n\nThis policy was last modified in December 2019.\n", "2019-12"),
            ("# Policy\n\nLast updated 03/05/2014\n", "2014-03-05"),
        ] {
            assert_eq!(date_of(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn sentences_about_the_date_are_not_a_date() {
        let md = "# Terms\n\nWe will notify you by updating the \"Last updated\" date of these Terms, \
                  and you agree to be bound on or after the Effective Date of the revised Terms.\n";
        assert_eq!(date_of(md), None);
    }

    #[test]
    fn the_first_stated_date_wins() {
        let md = "# Policy\n\nLast updated: June 1, 2020\n\n## Old\n\nThe previous version was effective January 1, 2019.\n";
        assert_eq!(date_of(md).as_deref(), Some("2020-06-01"));
    }
}
