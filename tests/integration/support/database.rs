//! The database a test server runs on: a fresh SQLite file (the default), or a fresh
//! PostgreSQL database when `PIZZERIA_TEST_BACKEND=postgres`, created for the test and dropped
//! after it. `PIZZERIA_TEST_POSTGRES` is the server to use (default: the local one, trust auth).

use std::path::Path;

pub const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub enum TestDatabase {
    Sqlite { url: String },
    Postgres { url: String, admin_url: String, name: String },
}

/// Whether this run's tests use PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("PIZZERIA_TEST_BACKEND").is_ok_and(|backend| backend == "postgres")
}

pub fn postgres_admin_url() -> String {
    std::env::var("PIZZERIA_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_POSTGRES.to_string())
}

impl TestDatabase {
    /// A new, empty database on the backend this run tests.
    pub async fn create(dir: &Path) -> TestDatabase {
        if on_postgres() {
            TestDatabase::create_postgres(&postgres_admin_url()).await
        } else {
            TestDatabase::Sqlite { url: format!("sqlite://{}", dir.join("pizzeria.db").display()) }
        }
    }

    /// A new, empty database on the PostgreSQL server at `admin_url`.
    pub async fn create_postgres(admin_url: &str) -> TestDatabase {
        use sqlx::Connection;
        let name = format!("pizzeria_test_{}_{:016x}", std::process::id(), rand::random::<u64>());
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .unwrap_or_else(|err| panic!("PostgreSQL at {admin_url} is needed for these tests: {err}"));
        sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut admin).await.expect("create a test database");
        let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap_or(admin_url);
        TestDatabase::Postgres { url: format!("{base}/{name}"), admin_url: admin_url.to_string(), name }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDatabase::Sqlite { url } | TestDatabase::Postgres { url, .. } => url,
        }
    }

    /// Runs a statement directly on the database, as an operator would.
    pub async fn execute(&self, sql: &str) {
        match self {
            TestDatabase::Sqlite { url } => {
                let pool = sqlx::SqlitePool::connect(url).await.unwrap();
                sqlx::query(sql).execute(&pool).await.unwrap();
            }
            TestDatabase::Postgres { url, .. } => {
                let pool = sqlx::PgPool::connect(url).await.unwrap();
                sqlx::query(sql).execute(&pool).await.unwrap();
            }
        }
    }

    /// The text column of every row `sql` returns, with `$1` bound to `arg` if given.
    pub async fn strings(&self, sql: &str, arg: Option<i64>) -> Vec<String> {
        match self {
            TestDatabase::Sqlite { url } => {
                let pool = sqlx::SqlitePool::connect(url).await.unwrap();
                let query = sqlx::query_scalar(sql);
                let query = match arg {
                    Some(arg) => query.bind(arg),
                    None => query,
                };
                query.fetch_all(&pool).await.unwrap()
            }
            TestDatabase::Postgres { url, .. } => {
                let pool = sqlx::PgPool::connect(url).await.unwrap();
                let query = sqlx::query_scalar(sql);
                let query = match arg {
                    Some(arg) => query.bind(arg),
                    None => query,
                };
                query.fetch_all(&pool).await.unwrap()
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name, .. } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            let database = name.clone();
            // Drop runs inside the test's runtime, which cannot be blocked on: use a thread.
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                runtime.block_on(async {
                    use sqlx::Connection;
                    let mut admin = sqlx::PgConnection::connect(&admin_url).await.ok()?;
                    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .execute(&mut admin)
                        .await
                        .ok()
                })
            })
            .join();
            if !matches!(dropped, Ok(Some(_))) {
                eprintln!("could not drop the test database {database}");
            }
        }
    }
}
