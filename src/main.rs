use clap::Parser;
use std::io::IsTerminal;
use pizzeria::config::{Cli, Command};
use pizzeria::startup::Application;
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
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => match Application::build(cli.config).await {
            Ok(app) => app.run_until_stopped().await,
            Err(err) => Err(err),
        },
        Command::Migrate => Store::migrate(&cli.config.database_url).await.map_err(Into::into).map(|()| {
            println!("database is up to date");
        }),
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
