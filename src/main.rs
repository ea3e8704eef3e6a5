// Leptos views are deeply nested types: without erased components (a plain `cargo build`) they
// need more than the default recursion limit.
#![recursion_limit = "512"]

use app::domain::Role;
use clap::Parser;
use pizzeria::config::{Cli, Command};
use pizzeria::startup::{Application, StartupError};
use pizzeria::store::{DemoLocation, NewLocation, Store};
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

fn main() -> std::process::ExitCode {
    let Cli { command, config } = Cli::parse();
    let command = command.unwrap_or(Command::Serve);
    // Requests and live connections each get a runtime (see `pizzeria::realtime::ConnectionRuntime`);
    // one-off commands open no sessions, so they get no runtime for them.
    let runtimes = pizzeria::startup::runtime("pizzeria").and_then(|main| {
        let live =
            matches!(command, Command::Serve).then(|| pizzeria::startup::runtime("pizzeria-live")).transpose()?;
        Ok((main, live))
    });
    match runtimes {
        Ok((main, live)) => {
            let outcome = main.block_on(run(config, command, live.as_ref().map(|live| live.handle().clone())));
            if let Some(live) = live {
                // Sessions have said goodbye (or were given up on) by now.
                live.shutdown_timeout(std::time::Duration::from_secs(1));
            }
            outcome
        }
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(
    config: pizzeria::config::Config,
    command: Command,
    live_runtime: Option<tokio::runtime::Handle>,
) -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let outcome = match command {
        Command::Serve => {
            let live_runtime = live_runtime.unwrap_or_else(tokio::runtime::Handle::current);
            match Application::build(config, live_runtime).await {
                Ok(app) => app.run_until_stopped().await,
                Err(err) => Err(err),
            }
        }
        Command::Migrate => Store::migrate(&config.database_url).await.map_err(Into::into).map(|()| {
            println!("database is up to date");
        }),
        Command::Backup { file } => backup(&config, &file).await,
        Command::CreateUser { username, location, role, password } => {
            create_user(&config, &username, location.as_deref(), &role, password).await
        }
        Command::CreateLocation { slug, name, host, location_timezone, location_hours, location_prep_secs } => {
            let new = NewLocation {
                slug,
                name,
                host: host.map(|host| host.trim().to_ascii_lowercase()),
                timezone: location_timezone,
                opening_hours: location_hours,
                prep_secs: location_prep_secs,
            };
            create_location(&config, new).await
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

async fn backup(config: &pizzeria::config::Config, file: &std::path::Path) -> Result<(), StartupError> {
    if file.exists() {
        return Err(StartupError::Invalid(format!("{} already exists: choose a new file", file.display())));
    }
    let store = Store::connect_existing(&config.database_url).await?;
    if !store.is_ready().await? {
        return Err(StartupError::Invalid(format!(
            "{} is not a Pizzeria Live database of this version (check DATABASE_URL): nothing was backed up",
            config.database_url
        )));
    }
    store.backup_to(file).await?;
    println!("backed up to {}", file.display());
    Ok(())
}

async fn create_location(config: &pizzeria::config::Config, new: NewLocation) -> Result<(), StartupError> {
    let store = Store::open(&config.database_url, &DemoLocation::from(config)).await?;
    match store.create_location(&new).await? {
        Ok(id) => {
            println!("created location {:?} (id {id}), with the demo menu", new.slug);
            Ok(())
        }
        Err(_) => {
            Err(StartupError::Invalid(format!("another location already has the slug {:?} or that host", new.slug)))
        }
    }
}

async fn create_user(
    config: &pizzeria::config::Config,
    username: &str,
    location: Option<&str>,
    role: &str,
    password: Option<String>,
) -> Result<(), StartupError> {
    let role = Role::parse(role).ok_or_else(|| StartupError::Invalid(format!("unknown role {role:?}")))?;
    let password = match password {
        Some(password) => password,
        None => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let store = Store::open(&config.database_url, &DemoLocation::from(config)).await?;
    let Some(location) = store.find_location(location).await? else {
        let locations = store.locations().await?;
        let known: Vec<&str> = locations.iter().map(|known| known.slug.as_str()).collect();
        return Err(StartupError::Invalid(format!("no such location; known: {}", known.join(", "))));
    };
    let location_id = location.id;
    let account = pizzeria::service::create_account(&store, location_id, username, &password, role)
        .await
        .map_err(|err| StartupError::Invalid(err.to_string()))?;
    println!("created {} account {:?} (id {})", role.as_str(), account.username, account.id);
    Ok(())
}
