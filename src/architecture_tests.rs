//! The shape of the code, checked so that it stays as the README draws it: in the server and
//! in the app crate, every `crate::` path points to a lower layer (so there is no cycle), and
//! the domain uses nothing of Leptos or of the layers above it. Test code may reach anywhere.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The server's modules by layer, highest first: `main` → `startup` → `http` → `service` →
/// `realtime` / `auth` → `store` → leaves.
const SERVER_LAYERS: &[(&str, u8)] = &[
    ("startup", 7),
    ("demo", 6),
    ("http", 6),
    ("service", 5),
    ("realtime", 4),
    ("auth", 4),
    ("locations", 4),
    ("store", 3),
    ("metrics", 2),
    ("digest", 2),
    ("config", 2),
    ("architecture_tests", 0),
];

/// The app crate's: the shell routes to pages, pages draw with components, components follow
/// live feeds, which call the server functions (`api`); the domain is at the bottom.
const APP_LAYERS: &[(&str, u8)] = &[
    ("shell", 7),
    ("pages", 6),
    ("components", 5),
    ("live", 4),
    ("i18n", 3),
    ("api", 2),
    ("domain", 1),
    ("build", 0),
    ("locale", 0),
];

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
    found
}

/// A file's code up to its tests, without comments.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    code.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// The top-level modules each `crate::<module>` path in `code` names.
fn crate_paths(code: &str) -> Vec<String> {
    code.match_indices("crate::")
        .filter(|(at, _)| !code[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$'))
        .map(|(at, marker)| {
            code[at + marker.len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
        })
        .collect()
}

/// The top-level module a file of `root` belongs to.
fn module_of(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).expect("a file under the root");
    let first = relative.components().next().expect("a path").as_os_str().to_string_lossy().to_string();
    first.trim_end_matches(".rs").to_string()
}

/// Every import of a higher or equal layer's module, as "file: module → module".
fn upward_imports(root: &Path, layers: &[(&str, u8)], skip: &[&str]) -> Vec<String> {
    let rank: BTreeMap<&str, u8> = layers.iter().copied().collect();
    let mut wrong = Vec::new();
    for file in sources(root) {
        let module = module_of(root, &file);
        if skip.contains(&module.as_str()) {
            continue;
        }
        let Some(own) = rank.get(module.as_str()) else {
            wrong.push(format!("{}: module {module} has no layer", file.display()));
            continue;
        };
        for target in crate_paths(&code_of(&file)) {
            if target == module {
                continue;
            }
            match rank.get(target.as_str()) {
                Some(theirs) if theirs < own => {}
                Some(_) => wrong.push(format!("{}: {module} → {target}", file.display())),
                None => wrong.push(format!("{}: {module} → {target}, which has no layer", file.display())),
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    wrong
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_server_imports_only_downwards() {
    // `main.rs` and `lib.rs` are the top: they may name anything.
    let wrong = upward_imports(&repo().join("src"), SERVER_LAYERS, &["main", "lib"]);
    assert!(wrong.is_empty(), "imports that point up or sideways:\n{}", wrong.join("\n"));
}

#[test]
fn the_app_crate_imports_only_downwards() {
    let wrong = upward_imports(&repo().join("app/src"), APP_LAYERS, &["lib"]);
    assert!(wrong.is_empty(), "imports that point up or sideways:\n{}", wrong.join("\n"));
}

#[test]
fn the_domain_is_pure() {
    for file in sources(&repo().join("app/src/domain")) {
        let code = code_of(&file);
        for forbidden in ["leptos", "web_sys", "wasm_bindgen", "tokio", "sqlx", "std::fs", "std::net::TcpStream"] {
            assert!(!code.contains(forbidden), "{} uses {forbidden}: the domain does no I/O", file.display());
        }
    }
}

#[test]
fn the_check_sees_an_upward_import() {
    let code = "use crate::store::Store;\nlet x = crate::http::AppState;\n";
    assert_eq!(crate_paths(code), ["store", "http"]);
    assert_eq!(crate_paths("let y = $crate::x; my_crate::z;"), Vec::<String>::new());
}
