//! Times of day as pages show them: "19:30", "19:30:05".
//!
//! Written out by hand rather than with chrono's `format("%H:%M")`, which parses its pattern
//! at run time and brings chrono's whole formatting engine into the browser's bundle.

use chrono::Timelike;

/// "19:30".
pub fn hh_mm(time: &impl Timelike) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// "19:30:05".
pub fn hh_mm_ss(time: &impl Timelike) -> String {
    format!("{:02}:{:02}:{:02}", time.hour(), time.minute(), time.second())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    #[test]
    fn reads_as_chrono_would_write_it() {
        for (hour, minute, second) in [(7, 5, 9), (0, 0, 0), (23, 59, 59), (12, 30, 0)] {
            let time = NaiveTime::from_hms_opt(hour, minute, second).unwrap();
            assert_eq!(hh_mm(&time), time.format("%H:%M").to_string());
            assert_eq!(hh_mm_ss(&time), time.format("%H:%M:%S").to_string());
        }
        assert_eq!(hh_mm(&NaiveTime::from_hms_opt(7, 5, 0).unwrap()), "07:05");
    }
}
