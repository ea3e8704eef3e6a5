//! Command line and environment. Every flag has an environment variable; README lists them.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "pizzeria", version, about = "Pizzeria Live: real-time order dashboard")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Create a staff or admin account. The password comes from PIZZERIA_NEW_PASSWORD or,
    /// failing that, the first line of standard input; there is never a default password.
    CreateUser {
        #[arg(long)]
        username: String,
        /// The pizzeria (its slug) the account belongs to. Default: the first one.
        #[arg(long)]
        location: Option<String>,
        #[arg(long, value_parser = ["admin", "staff"])]
        role: String,
        #[arg(long, env = "PIZZERIA_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Copy a SQLite database to FILE while the server keeps serving: a consistent snapshot of
    /// every committed order (`VACUUM INTO`). To restore, stop the server and put FILE in the
    /// database's place. For PostgreSQL, use pg_dump (see docs/deployment.md).
    Backup {
        /// Where to write the copy; it must not exist yet.
        file: std::path::PathBuf,
    },
    /// Add a pizzeria to this deployment. It starts with the demo menu, which its admins then
    /// edit; its customers reach it through `--host`.
    CreateLocation {
        /// Short unique name, e.g. `north` (for `create-user --location north`).
        #[arg(long, value_parser = parse_slug)]
        slug: String,
        /// The name customers see.
        #[arg(long)]
        name: String,
        /// The host name its customers use, e.g. `north.pizza.example`.
        #[arg(long)]
        host: Option<String>,
        /// Its time zone (IANA name).
        #[arg(long = "location-timezone", default_value = "UTC", value_parser = parse_timezone)]
        location_timezone: String,
        /// Its opening hours: "11:30-23:00" or "always".
        #[arg(long = "location-hours", default_value = "always", value_parser = parse_opening_hours)]
        location_hours: String,
        /// How long its kitchen takes to make an order, in seconds, until it has a history of
        /// its own. Default: the server's --prep-secs.
        #[arg(long = "location-prep-secs", value_parser = clap::value_parser!(i64).range(60..=4 * 3600))]
        location_prep_secs: Option<i64>,
    },
}

fn parse_slug(slug: &str) -> Result<String, String> {
    let valid = !slug.is_empty()
        && slug.len() <= 40
        && slug.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
    if valid {
        Ok(slug.to_string())
    } else {
        Err("use 1 to 40 lowercase letters, digits and dashes".into())
    }
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on. Port 0 picks a free port (the chosen address is printed).
    #[arg(long, global = true, env = "PIZZERIA_ADDR")]
    pub addr: Option<SocketAddr>,

    /// Database URL: `sqlite://pizzeria.db` (one instance, the default) or
    /// `postgres://user@host/db` (any number of instances sharing it).
    #[arg(long, global = true, env = "DATABASE_URL", default_value = "sqlite://pizzeria.db")]
    pub database_url: String,

    /// This instance's name in logs and in PostgreSQL's `pg_stat_activity` (its LISTEN
    /// connection is `pizzeria-listen <name>`). Defaults to the address it listens on.
    #[arg(long, global = true, env = "PIZZERIA_INSTANCE")]
    pub instance: Option<String>,

    /// Folder with the compiled site (pkg/, static files).
    #[arg(long, global = true, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Base name of the compiled browser bundle in `<site-root>/pkg`.
    #[arg(long, global = true, env = "LEPTOS_OUTPUT_NAME", default_value = "pizzeria")]
    pub output_name: String,

    /// Seconds between heartbeats on idle live connections.
    #[arg(long, global = true, env = "PIZZERIA_HEARTBEAT_SECS", default_value_t = 5)]
    pub heartbeat_secs: u64,

    /// Events a live connection may fall behind before it is told to resync.
    #[arg(long, global = true, env = "PIZZERIA_CLIENT_QUEUE", default_value_t = 1024)]
    pub client_queue: usize,

    /// Seconds a client may take to accept one message before it is disconnected.
    #[arg(long, global = true, env = "PIZZERIA_SEND_TIMEOUT_SECS", default_value_t = 10)]
    pub send_timeout_secs: u64,

    /// Most events replayed to a reconnecting client; beyond that it reloads a snapshot.
    #[arg(long, global = true, env = "PIZZERIA_REPLAY_LIMIT", default_value_t = 5000)]
    pub replay_limit: i64,

    /// Hours of event log kept for replay.
    #[arg(long, global = true, env = "PIZZERIA_EVENT_RETENTION_HOURS", default_value_t = 72)]
    pub event_retention_hours: i64,

    /// How long a staff sign-in lasts, in seconds.
    #[arg(long, global = true, env = "PIZZERIA_SESSION_SECS", default_value_t = 12 * 3600)]
    pub session_secs: i64,

    /// Reverse proxies (addresses or networks, comma-separated) whose `X-Forwarded-For` names
    /// the client. None by default: the TCP peer is the client.
    #[arg(long, global = true, env = "PIZZERIA_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Seconds a client has to send a request's line and headers before the connection is
    /// closed (a half-sent request cannot hold a connection open).
    #[arg(long, global = true, env = "PIZZERIA_HEADER_READ_TIMEOUT_SECS", default_value_t = 10)]
    pub header_read_timeout_secs: u64,

    /// Orders one IP address may place per minute.
    #[arg(long, global = true, env = "PIZZERIA_ORDERS_PER_MINUTE", default_value_t = 30)]
    pub orders_per_minute: u32,

    /// Sign-in attempts one IP address may make per minute.
    #[arg(long, global = true, env = "PIZZERIA_SIGN_INS_PER_MINUTE", default_value_t = 10)]
    pub sign_ins_per_minute: u32,

    /// Live connections (WebSocket and SSE) one IP address may hold open.
    #[arg(long, global = true, env = "PIZZERIA_MAX_SOCKETS_PER_IP", default_value_t = 64)]
    pub max_sockets_per_ip: usize,

    /// Age in seconds at which a kitchen ticket turns amber (the same on every screen).
    #[arg(long, global = true, env = "PIZZERIA_TICKET_WARN_SECS", default_value_t = 300)]
    pub ticket_warn_secs: i64,

    /// Age in seconds at which a kitchen ticket turns red.
    #[arg(long, global = true, env = "PIZZERIA_TICKET_LATE_SECS", default_value_t = 480)]
    pub ticket_late_secs: i64,

    /// Seconds the kitchen takes to make an order: an order for a later pickup waits in the
    /// wall's "Later" lane and fires this long before its pickup time.
    #[arg(long, global = true, env = "PIZZERIA_PREP_SECS", default_value_t = 900)]
    pub prep_secs: i64,

    /// Seconds between steps of the demo's simulated customers and staff (a new order, an order
    /// moved along). 0, the default, is off: only the demo script turns it on.
    #[arg(long, global = true, env = "PIZZERIA_DEMO_TRICKLE_SECS", default_value_t = 0.0)]
    pub demo_trickle_secs: f64,

    /// Seconds between page turns on a kitchen wall whose tickets do not all fit at once.
    #[arg(long, global = true, env = "PIZZERIA_WALL_PAGE_SECS", default_value_t = 10)]
    pub wall_page_secs: i64,

    /// Time zone of the pizzeria created on first start (IANA name). Pickup slots are in it.
    #[arg(long, global = true, env = "PIZZERIA_TIMEZONE", default_value = "UTC", value_parser = parse_timezone)]
    pub timezone: String,

    /// Opening hours of the pizzeria created on first start: "11:30-23:00" (closing after
    /// midnight is fine: "18:00-02:00"), or "always". Pickup times must fall within them.
    #[arg(long, global = true, env = "PIZZERIA_OPENING_HOURS", default_value = "always", value_parser = parse_opening_hours)]
    pub opening_hours: String,

    /// Overrides the build id that makes open pages reload after a deployment.
    #[arg(long, global = true, env = "PIZZERIA_BUILD_ID")]
    pub build_id: Option<String>,
}

fn parse_timezone(name: &str) -> Result<String, String> {
    name.parse::<chrono_tz::Tz>().map(|tz| tz.name().to_string()).map_err(|_| format!("unknown time zone {name:?}"))
}

fn parse_opening_hours(hours: &str) -> Result<String, String> {
    hours.parse::<app::domain::OpeningHours>().map(|hours| {
        if hours == app::domain::OpeningHours::ALWAYS {
            "always".to_string()
        } else {
            hours.to_string()
        }
    })
}

impl Config {
    /// `--addr`, else cargo-leptos's `LEPTOS_SITE_ADDR`, else 127.0.0.1:3000.
    pub fn listen_addr(&self) -> SocketAddr {
        self.addr
            .or_else(|| std::env::var("LEPTOS_SITE_ADDR").ok()?.parse().ok())
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)))
    }
}

/// Reads an address or network from the command line: `10.0.0.0/8`, `::1`, `192.0.2.7`.
pub fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{text:?} is not an IP address or network"))
}
