//! A PostgreSQL server of the test's own, in a temporary folder on a free port, so a test can
//! stop and restart it without disturbing anyone else. Uses the machine's PostgreSQL binaries
//! (`/usr/lib/postgresql/<version>/bin`); as root, runs them as the `postgres` user.

use std::path::PathBuf;
use std::process::Command;
use tempfile::TempDir;

pub struct PrivatePostgres {
    dir: TempDir,
    bin: PathBuf,
    pub port: u16,
}

impl PrivatePostgres {
    /// Creates and starts a new cluster.
    pub fn start() -> PrivatePostgres {
        let bin =
            postgres_bin_dir().expect("PostgreSQL's server binaries (package postgresql) are needed for this test");
        let dir = tempfile::tempdir().expect("temp dir");
        if running_as_root() {
            run(Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir.path()));
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let server = PrivatePostgres { dir, bin, port };
        run(server
            .command("initdb")
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "-D"])
            .arg(server.data()));
        server.start_again();
        server
    }

    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// A fast shutdown: sessions are ended, as in a restart for maintenance.
    pub fn stop(&self) {
        run(self.command("pg_ctl").args(["-m", "fast", "-w", "stop", "-D"]).arg(self.data()));
    }

    pub fn start_again(&self) {
        let options =
            format!("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", self.port, self.dir.path().display());
        run(self
            .command("pg_ctl")
            .args(["-w", "-l"])
            .arg(self.dir.path().join("postgres.log"))
            .args(["-o", &options, "start", "-D"])
            .arg(self.data()));
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        if running_as_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = self.command("pg_ctl").args(["-m", "immediate", "-w", "stop", "-D"]).arg(self.data()).output();
    }
}

fn postgres_bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| Some(entry.ok()?.path().join("bin")))
        .filter(|bin| bin.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

fn run(command: &mut Command) {
    let output = command.output().unwrap_or_else(|err| panic!("could not run {command:?}: {err}"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
