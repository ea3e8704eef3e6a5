//! Reading tagged JSON objects (`{"type": "hello", ...}`) the short way.
//!
//! serde reads an internally tagged enum by first copying the whole object into a buffer of
//! its own, then reading the variant from that copy, and it builds a second reader for every
//! type inside (orders, menu items) to read them from the copy. In the browser that duplicate
//! is code everyone downloads. The enums the browser reads (live messages, errors) are
//! therefore read as one flat record holding every field any variant has, straight from the
//! JSON, and then checked into the enum. What they write is unchanged.

/// A field the variant needs, or the error serde would give for its absence.
pub fn required<T>(value: Option<T>, field: &'static str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{field}`"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_missing_field_is_named() {
        assert_eq!(super::required(Some(3), "head"), Ok(3));
        assert_eq!(super::required::<i64>(None, "head"), Err("missing field `head`".to_string()));
    }
}
