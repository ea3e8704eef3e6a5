// Staff accounts, kitchen devices and their sessions.

impl Pools {
    pub async fn create_user(
        &self,
        location_id: i64,
        username: &str,
        password_hash: &str,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<Result<i64, UsernameTaken>> {
        let inserted = sqlx::query_scalar(
            "INSERT INTO users (location_id, username, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(location_id)
        .bind(username)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(now)
        .fetch_optional(&self.writer)
        .await?;
        Ok(inserted.ok_or(UsernameTaken))
    }

    pub async fn login_record(&self, username: &str) -> Result<Option<LoginRecord>> {
        let row: Option<(i64, String, String, String, i64)> = sqlx::query_as(
            "SELECT id, username, password_hash, role, location_id FROM users WHERE lower(username) = lower($1) AND disabled_at IS NULL",
        )
        .bind(username)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.and_then(|(user_id, username, password_hash, role, location_id)| {
            Some(LoginRecord { user_id, username, password_hash, role: Role::parse(&role)?, location_id })
        }))
    }

    pub async fn open_user_session(&self, token_hash: &str, user_id: i64, now: DateTime<Utc>, expires_at: DateTime<Utc>) -> Result<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user_id)
            .bind(now)
            .bind(expires_at)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Ends a session. Returns whether it was current.
    pub async fn revoke_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        let ended = sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(token_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        if ended {
            record_revocation(&mut tx, &Revoked::Session(token_hash.to_string()), now).await?;
        }
        tx.commit().await?;
        Ok(ended)
    }

    /// Who holds this session, if it is current (not expired, not revoked, account active).
    pub async fn session_holder(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<SessionHolder>> {
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT s.expires_at, u.id AS user_id, u.username, u.role, u.location_id AS user_location,
                    d.id AS device_id, d.name AS device_name, d.location_id AS device_location
             FROM sessions s
             LEFT JOIN users u ON u.id = s.user_id AND u.disabled_at IS NULL
             LEFT JOIN devices d ON d.id = s.device_id AND d.revoked_at IS NULL
             WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.and_then(SessionRow::holder))
    }
}

impl Pools {
    /// Registers a kitchen screen and a one-time pairing code for it.
    pub async fn create_device(
        &self,
        location_id: i64,
        name: &str,
        code_hash: &str,
        now: DateTime<Utc>,
        code_expires_at: DateTime<Utc>,
    ) -> Result<DeviceRow> {
        let mut tx = self.writer.begin().await?;
        let device = insert_device(&mut tx, location_id, name, now).await?;
        sqlx::query("INSERT INTO device_pairings (code_hash, device_id, expires_at) VALUES ($1, $2, $3)")
            .bind(code_hash)
            .bind(device.id)
            .bind(code_expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(device)
    }

    /// Uses a pairing code once: opens a device session with `session_hash`. `None` when the
    /// code is unknown, used, expired, or its device was revoked.
    pub async fn pair_device(
        &self,
        code_hash: &str,
        session_hash: &str,
        now: DateTime<Utc>,
        session_expires_at: DateTime<Utc>,
    ) -> Result<Option<i64>> {
        let mut tx = self.writer.begin().await?;
        let device_id: Option<i64> = sqlx::query_scalar(
            "UPDATE device_pairings SET used_at = $1
             WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $3
               AND device_id IN (SELECT id FROM devices WHERE revoked_at IS NULL)
             RETURNING device_id",
        )
        .bind(now)
        .bind(code_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(device_id) = device_id {
            open_device_session(&mut tx, device_id, session_hash, now, session_expires_at).await?;
        }
        tx.commit().await?;
        Ok(device_id)
    }

    /// Records a screen code a TV asked for. `false` if the code is taken (try another).
    pub async fn create_screen_code(&self, location_id: i64, user_code: &str, poll_hash: &str, expires_at: DateTime<Utc>) -> Result<bool> {
        let inserted = sqlx::query(
            "INSERT INTO screen_codes (user_code, poll_hash, location_id, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(user_code)
        .bind(poll_hash)
        .bind(location_id)
        .bind(expires_at)
        .execute(&self.writer)
        .await?
        .rows_affected();
        Ok(inserted > 0)
    }

    /// An admin approves a code shown on a TV of their pizzeria: the TV becomes a device named
    /// `name`. `None` when no TV of this pizzeria waits with that code (unknown, expired or
    /// already approved).
    pub async fn approve_screen_code(&self, location_id: i64, user_code: &str, name: &str, now: DateTime<Utc>) -> Result<Option<DeviceRow>> {
        let mut tx = self.writer.begin().await?;
        let waiting: Option<String> = sqlx::query_scalar(
            "SELECT user_code FROM screen_codes WHERE user_code = $1 AND location_id = $2 AND expires_at > $3 AND device_id IS NULL",
        )
        .bind(user_code)
        .bind(location_id)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        if waiting.is_none() {
            return Ok(None);
        }
        let device = insert_device(&mut tx, location_id, name, now).await?;
        sqlx::query("UPDATE screen_codes SET device_id = $1 WHERE user_code = $2")
            .bind(device.id)
            .bind(user_code)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(device))
    }

    /// The TV asks with its poll token. Once its code was approved, opens the device session
    /// (`session_hash`) the first time only.
    pub async fn claim_screen_code(
        &self,
        poll_hash: &str,
        session_hash: &str,
        now: DateTime<Utc>,
        session_expires_at: DateTime<Utc>,
    ) -> Result<ScreenCodeState> {
        let mut tx = self.writer.begin().await?;
        let row: Option<ScreenCodeRow> =
            sqlx::query_as("SELECT expires_at, device_id, claimed_at FROM screen_codes WHERE poll_hash = $1")
                .bind(poll_hash)
                .fetch_optional(&mut *tx)
                .await?;
        let state = match row {
            Some((_, Some(device_id), None)) => {
                sqlx::query("UPDATE screen_codes SET claimed_at = $1 WHERE poll_hash = $2").bind(now).bind(poll_hash).execute(&mut *tx).await?;
                open_device_session(&mut tx, device_id, session_hash, now, session_expires_at).await?;
                ScreenCodeState::Paired(device_id)
            }
            Some((expires_at, None, None)) if expires_at > now => ScreenCodeState::Waiting,
            _ => ScreenCodeState::Gone,
        };
        tx.commit().await?;
        Ok(state)
    }

    pub async fn devices(&self, location_id: i64) -> Result<Vec<DeviceRow>> {
        Ok(sqlx::query_as("SELECT id, name, created_at, revoked_at, announce, bump_bar FROM devices WHERE location_id = $1 ORDER BY id")
            .bind(location_id)
            .fetch_all(&self.reader)
            .await?)
    }

    /// Sets a screen's extras. Returns whether it is a current device of this location.
    pub async fn set_screen_options(&self, location_id: i64, device_id: i64, options: ScreenOptions) -> Result<bool> {
        let updated = sqlx::query("UPDATE devices SET announce = $1, bump_bar = $2 WHERE id = $3 AND location_id = $4 AND revoked_at IS NULL")
            .bind(options.announce)
            .bind(options.bump_bar)
            .bind(device_id)
            .bind(location_id)
            .execute(&self.writer)
            .await?
            .rows_affected();
        Ok(updated > 0)
    }

    /// A current device's extras.
    pub async fn screen_options(&self, device_id: i64) -> Result<Option<ScreenOptions>> {
        let row: Option<(bool, bool)> = sqlx::query_as("SELECT announce, bump_bar FROM devices WHERE id = $1 AND revoked_at IS NULL")
            .bind(device_id)
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.map(|(announce, bump_bar)| ScreenOptions { announce, bump_bar }))
    }
}

impl Pools {
    pub async fn users(&self, location_id: i64) -> Result<Vec<UserRow>> {
        Ok(sqlx::query_as(
            "SELECT id, username, role, created_at, disabled_at FROM users WHERE location_id = $1 ORDER BY lower(username)",
        )
        .bind(location_id)
        .fetch_all(&self.reader)
        .await?)
    }

    /// Withdraws a staff account (disabled) or a kitchen device (revoked) of this location:
    /// ends its sessions and records the revocation for every instance, in one transaction.
    /// Returns whether it existed at this location: another pizzeria's are not this admin's to
    /// end.
    pub async fn withdraw(&self, location_id: i64, owner: SessionOwner, now: DateTime<Utc>) -> Result<bool> {
        let (mark, id) = match owner {
            SessionOwner::User(id) => ("UPDATE users SET disabled_at = COALESCE(disabled_at, $1)", id),
            SessionOwner::Device(id) => ("UPDATE devices SET revoked_at = COALESCE(revoked_at, $1)", id),
        };
        let mut tx = self.writer.begin().await?;
        let found = sqlx::query(&format!("{mark} WHERE id = $2 AND location_id = $3"))
            .bind(now)
            .bind(id)
            .bind(location_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        if found {
            end_sessions(&mut tx, owner, now).await?;
            record_revocation(&mut tx, &owner.into(), now).await?;
        }
        tx.commit().await?;
        Ok(found)
    }
}

/// Revokes every current session of a user or a device, inside the caller's transaction.
async fn end_sessions(conn: &mut Conn, owner: SessionOwner, now: DateTime<Utc>) -> Result<()> {
    let (column, id) = match owner {
        SessionOwner::User(id) => ("user_id", id),
        SessionOwner::Device(id) => ("device_id", id),
    };
    sqlx::query(&format!("UPDATE sessions SET revoked_at = $1 WHERE {column} = $2 AND revoked_at IS NULL"))
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds a kitchen screen: the one statement both ways of pairing one share.
async fn insert_device(conn: &mut Conn, location_id: i64, name: &str, now: DateTime<Utc>) -> Result<DeviceRow> {
    Ok(sqlx::query_as(
        "INSERT INTO devices (location_id, name, created_at) VALUES ($1, $2, $3) RETURNING id, name, created_at, revoked_at, announce, bump_bar",
    )
    .bind(location_id)
    .bind(name)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Signs a screen in: the session both ways of pairing one open.
async fn open_device_session(conn: &mut Conn, device_id: i64, session_hash: &str, now: DateTime<Utc>, expires_at: DateTime<Utc>) -> Result<()> {
    sqlx::query("INSERT INTO sessions (token_hash, device_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(session_hash)
        .bind(device_id)
        .bind(now)
        .bind(expires_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// A screen code as the TV's poll reads it: when it expires, its device once approved, and when
/// the TV claimed its session.
type ScreenCodeRow = (DateTime<Utc>, Option<i64>, Option<DateTime<Utc>>);

/// How long a revocation is kept: far longer than any instance's listener stays away.
const KEEP_REVOCATIONS: chrono::Duration = chrono::Duration::days(1);

/// Records a withdrawn credential in the caller's transaction and, on PostgreSQL, tells every
/// instance when (and only if) it commits.
async fn record_revocation(conn: &mut Conn, revoked: &Revoked, now: DateTime<Utc>) -> Result<()> {
    // Revoking transactions take turns, so ids are handed out in commit order: a listener
    // that has read up to an id has seen every revocation before it.
    lock_name(conn, "revocations").await?;
    let (kind, subject) = revoked.as_row();
    sqlx::query("INSERT INTO revocations (kind, subject, revoked_at) VALUES ($1, $2, $3)")
        .bind(kind)
        .bind(subject)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM revocations WHERE revoked_at < $1").bind(now - KEEP_REVOCATIONS).execute(&mut *conn).await?;
    announce_revocation(conn).await
}

impl Pools {
    /// The revocations recorded after `after`, oldest first, with their ids.
    pub async fn revocations_after(&self, after: i64) -> Result<Vec<(i64, Revoked)>> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, kind, subject FROM revocations WHERE id > $1 ORDER BY id").bind(after).fetch_all(&self.writer).await?;
        Ok(rows.into_iter().filter_map(|(id, kind, subject)| Revoked::from_row(&kind, subject).map(|revoked| (id, revoked))).collect())
    }

    /// The id of the newest revocation recorded (0 when none is).
    pub async fn last_revocation_id(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM revocations").fetch_one(&self.writer).await?)
    }
}
