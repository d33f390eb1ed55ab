//! Classification of one CSV cell: null, number, boolean, datetime or text.
//!
//! The rules are deliberately explicit and documented here, because they decide
//! what every later check sees. Nulls (an absent value) are kept apart from NaN
//! and the infinities (a present but non-finite number): a form that stops
//! sending a field and a model that starts emitting NaN are different failures.

/// What one cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// An empty cell or a null token such as `NA`, `N/A`, `null` or `None`.
    Null,
    /// A number; `integral` is true when it was written without a fraction or exponent.
    Number {
        /// The parsed value, possibly NaN or infinite.
        value: f64,
        /// Written as an integer literal (`42`, `-7`), so a column of these is an integer column.
        integral: bool,
    },
    /// `true`/`false`, `yes`/`no`, `t`/`f`, `y`/`n` in any letter case.
    Bool(bool),
    /// An ISO 8601 date or date-time (`2024-01-31`, `2024-01-31T12:00:00Z`, `2024/01/31 12:00`).
    Datetime,
    /// Anything else.
    Text,
}

/// Tokens read as null, compared after trimming and ignoring ASCII case.
///
/// The list follows what pandas' `read_csv` treats as missing, minus the NaN
/// spellings, which modelgate counts separately.
pub const NULL_TOKENS: &[&str] =
    &["", "na", "n/a", "#n/a", "null", "none", "nil", "<na>", "#null!", "missing"];

/// Classifies one cell. `raw` is the field as read from the file (already valid UTF-8).
///
/// With `decimal_comma`, a number written with one comma and no dot (`52000,5`)
/// is read as a decimal: spreadsheets in much of Europe write numbers so in the
/// semicolon-separated files they export.
pub fn classify(raw: &str, decimal_comma: bool) -> Cell {
    let s = raw.trim();
    if s.len() <= 7 && is_null_token(s) {
        return Cell::Null;
    }
    if let Some(cell) = parse_number(s) {
        return cell;
    }
    if decimal_comma && s.bytes().filter(|&b| b == b',').count() == 1 && !s.contains('.') {
        if let Some(Cell::Number { value, .. }) = parse_number(&s.replacen(',', ".", 1)) {
            return Cell::Number { value, integral: false };
        }
    }
    if let Some(b) = parse_bool(s) {
        return Cell::Bool(b);
    }
    if is_datetime(s) {
        return Cell::Datetime;
    }
    Cell::Text
}

fn is_null_token(s: &str) -> bool {
    NULL_TOKENS.iter().any(|t| t.eq_ignore_ascii_case(s))
}

fn parse_number(s: &str) -> Option<Cell> {
    let bytes = s.as_bytes();
    let first = *bytes.first()?;
    // Cheap rejection before the float parser: numbers start with a digit, a sign,
    // a dot, or the letters of inf/nan.
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.' | b'i' | b'I' | b'n' | b'N')) {
        return None;
    }
    let value: f64 = s.parse().ok()?;
    let integral = value.is_finite() && bytes.iter().all(|b| b.is_ascii_digit() || *b == b'-' || *b == b'+');
    Some(Cell::Number { value, integral })
}

fn parse_bool(s: &str) -> Option<bool> {
    const TRUE: &[&str] = &["true", "yes", "t", "y"];
    const FALSE: &[&str] = &["false", "no", "f", "n"];
    if s.len() > 5 {
        return None;
    }
    if TRUE.iter().any(|t| t.eq_ignore_ascii_case(s)) {
        Some(true)
    } else if FALSE.iter().any(|t| t.eq_ignore_ascii_case(s)) {
        Some(false)
    } else {
        None
    }
}

/// Accepts `YYYY-MM-DD` or `YYYY/MM/DD`, optionally followed by `T` or a space and
/// `HH:MM[:SS[.fraction]]`, optionally followed by `Z` or a `+HH:MM`/`-HH:MM` offset.
/// Month, day, hour, minute and second ranges are checked; the calendar is not
/// (February 30 passes), which is enough to tell a date column from text.
pub(crate) fn is_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 10 {
        return false;
    }
    let sep = b[4];
    if !(sep == b'-' || sep == b'/') || b[7] != sep {
        return false;
    }
    let (Some(_), Some(month), Some(day)) = (digits(&b[0..4]), digits(&b[5..7]), digits(&b[8..10])) else {
        return false;
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    let rest = &b[10..];
    if rest.is_empty() {
        return true;
    }
    if !(rest[0] == b'T' || rest[0] == b' ') || rest.len() < 6 {
        return false;
    }
    is_time(&rest[1..])
}

fn is_time(b: &[u8]) -> bool {
    let (Some(hour), Some(minute)) = (digits(&b[0..2]), digits(&b[3..5])) else {
        return false;
    };
    if b[2] != b':' || hour > 23 || minute > 59 {
        return false;
    }
    let mut rest = &b[5..];
    if rest.first() == Some(&b':') {
        match rest.get(1..3).and_then(digits) {
            Some(second) if second <= 60 => rest = &rest[3..],
            _ => return false,
        }
        if rest.first() == Some(&b'.') {
            let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return false;
            }
            rest = &rest[1 + n..];
        }
    }
    match rest {
        [] | [b'Z'] | [b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] | [b'+' | b'-', h1, h2, m1, m2] => {
            digits(&[*h1, *h2]).is_some_and(|h| h <= 23) && digits(&[*m1, *m2]).is_some_and(|m| m <= 59)
        }
        _ => false,
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expected: Cell) {
        let got = classify(raw, false);
        match (got, expected) {
            (Cell::Number { value: a, integral: ia }, Cell::Number { value: b, integral: ib }) => {
                assert!(a == b || (a.is_nan() && b.is_nan()), "{raw:?}: {a} != {b}");
                assert_eq!(ia, ib, "{raw:?}: integral");
            }
            _ => assert_eq!(got, expected, "{raw:?}"),
        }
    }

    fn num(value: f64, integral: bool) -> Cell {
        Cell::Number { value, integral }
    }

    #[test]
    fn nulls_are_not_nan() {
        for raw in ["", "  ", "NA", "n/a", "N/A", "null", "NULL", "None", "nil", "#N/A", "<NA>", "missing"] {
            check(raw, Cell::Null);
        }
        for raw in ["NaN", "nan", "-nan", "+NaN"] {
            check(raw, num(f64::NAN, false));
        }
    }

    #[test]
    fn numbers() {
        check("42", num(42.0, true));
        check(" -7 ", num(-7.0, true));
        check("+3", num(3.0, true));
        check("3.0", num(3.0, false));
        check(".5", num(0.5, false));
        check("1e3", num(1000.0, false));
        check("-0", num(-0.0, true));
        check("inf", num(f64::INFINITY, false));
        check("-Infinity", num(f64::NEG_INFINITY, false));
        check("1e400", num(f64::INFINITY, false));
        check("1,5", Cell::Text);
        assert_eq!(classify("1,5", true), num(1.5, false));
        assert_eq!(classify("-52000,25", true), num(-52000.25, false));
        assert_eq!(classify("1,2,3", true), Cell::Text);
        assert_eq!(classify("1,5.2", true), Cell::Text);
        check("0x10", Cell::Text);
        check("12abc", Cell::Text);
    }

    #[test]
    fn booleans() {
        for raw in ["true", "FALSE", "Yes", "no", "t", "F", "y", "N"] {
            assert!(matches!(classify(raw, false), Cell::Bool(_)), "{raw}");
        }
        check("truthy", Cell::Text);
    }

    #[test]
    fn datetimes() {
        for raw in [
            "2024-01-31",
            "2024/01/31",
            "2024-01-31T12:30",
            "2024-01-31 12:30:59",
            "2024-01-31T12:30:59.123Z",
            "2024-01-31T12:30:59+02:00",
            "2024-01-31T12:30:59-0500",
        ] {
            check(raw, Cell::Datetime);
        }
        for raw in ["2024-13-01", "2024-01-32", "2024-01-31T25:00", "2024-01-31X", "2024-01-3", "20240131"] {
            assert_ne!(classify(raw, false), Cell::Datetime, "{raw}");
        }
    }
}
