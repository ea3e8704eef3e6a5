//! Withdrawn credentials, as the `revocations` table records them (`sql/accounts.rs`).

/// Credentials that were just withdrawn: live connections opened with them close at once, on
/// every instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revoked {
    /// One session (sign-out) or API key, by its token hash.
    Session(String),
    /// A kitchen device and all its sessions.
    Device(i64),
    /// A staff account (disabled) and all its sessions.
    User(i64),
}

impl Revoked {
    /// How a row of `revocations` names it: its kind and subject.
    pub(super) fn as_row(&self) -> (&'static str, String) {
        match self {
            Revoked::Session(hash) => ("session", hash.clone()),
            Revoked::Device(id) => ("device", id.to_string()),
            Revoked::User(id) => ("user", id.to_string()),
        }
    }

    pub(super) fn from_row(kind: &str, subject: String) -> Option<Revoked> {
        match kind {
            "session" => Some(Revoked::Session(subject)),
            "device" => subject.parse().ok().map(Revoked::Device),
            "user" => subject.parse().ok().map(Revoked::User),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revocation_reads_back_as_it_was_written() {
        for revoked in [Revoked::Session("abc".into()), Revoked::Device(7), Revoked::User(42)] {
            let (kind, subject) = revoked.as_row();
            assert_eq!(Revoked::from_row(kind, subject), Some(revoked));
        }
        assert_eq!(Revoked::from_row("device", "x".into()), None);
        assert_eq!(Revoked::from_row("planet", "1".into()), None);
    }
}
