// Leptos views are deeply nested types: without erased components (release builds) they
// need more than the default recursion limit.
#![recursion_limit = "512"]

use clap::Parser;
use std::io::IsTerminal;
use pizzeria::config::{Cli, Command};
use app::domain::Role;
use pizzeria::realtime::Hub;
use pizzeria::service::LiveOrderService;
use pizzeria::startup::{Application, StartupError, DEFAULT_LOCATION_ID};
use pizzeria::store::Store;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let cli = Cli::parse();
    let outcome = match cli.command.clone().unwrap_or(Command::Serve) {
        Command::Serve => match Application::build(cli.config).await {
            Ok(app) => app.run_until_stopped().await,
            Err(err) => Err(err),
        },
        Command::Migrate => Store::migrate(&cli.config.database_url).await.map_err(Into::into).map(|()| {
            println!("database is up to date");
        }),
        Command::CreateUser { username, role, password } => {
            create_user(&cli.config, &username, &role, password).await
        }
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "pizzeria stopped");
            eprintln!("error: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn create_user(config: &pizzeria::config::Config, username: &str, role: &str, password: Option<String>) -> Result<(), StartupError> {
    let role = Role::parse(role).ok_or_else(|| StartupError::Invalid(format!("unknown role {role:?}")))?;
    let password = match password {
        Some(password) => password,
        None => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let store = Store::open(&config.database_url, &config.demo_location()).await?;
    let hub = Hub::new(0, 1);
    let service = LiveOrderService { store, hub, location_id: DEFAULT_LOCATION_ID, session_secs: 0, kitchen: Default::default() };
    let account = service.create_account(username, &password, role).await.map_err(|err| StartupError::Invalid(err.to_string()))?;
    println!("created {} account {:?} (id {})", role.as_str(), account.username, account.id);
    Ok(())
}
