//! What free text people type may hold.

/// Whether `c` has no place in a name, label or note: a control character, or one of the
/// invisible marks that reorder the text around them (bidirectional overrides and isolates,
/// e.g. U+202E), which could make a name on the kitchen screen read other than it is.
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `text` holds no unprintable character.
pub fn is_printable(text: &str) -> bool {
    !text.chars().any(is_unprintable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_reordering_characters_are_unprintable() {
        assert!(is_printable("Zoë O'Brien – 2×"));
        assert!(is_printable("مرحبا"), "right-to-left scripts are welcome");
        for bad in ["a\u{202E}b", "a\u{2066}b", "a\u{200F}", "a\nb", "a\u{0}b", "\u{7f}"] {
            assert!(!is_printable(bad), "{bad:?}");
        }
    }
}
