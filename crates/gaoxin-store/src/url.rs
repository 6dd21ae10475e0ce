//! Database URLs: which backend, and how to reach it.

use crate::StoreError;
use std::path::PathBuf;

/// The two backends gaoxin runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend's name, as reports print it.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// A database URL that names a supported backend (parse, don't validate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    /// For SQLite: the file path. For PostgreSQL: the URL as given.
    target: String,
}

impl DatabaseUrl {
    /// Accepts `sqlite://PATH`, `sqlite:PATH`, `postgres://…` and `postgresql://…`. A value
    /// with no scheme is taken as a SQLite file path.
    pub fn parse(url: &str) -> Result<DatabaseUrl, StoreError> {
        let url = url.trim();
        let unsupported = || StoreError::UnsupportedUrl { url: redact(url) };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl {
                backend: Backend::Postgres,
                target: url.to_string(),
            });
        }
        let path = if let Some(rest) = url.strip_prefix("sqlite://") {
            rest
        } else if let Some(rest) = url.strip_prefix("sqlite:") {
            rest
        } else if url.contains("://") {
            return Err(unsupported());
        } else {
            url
        };
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() || path == ":memory:" {
            // An in-memory database would vanish between connections of the pool.
            return Err(unsupported());
        }
        Ok(DatabaseUrl {
            backend: Backend::Sqlite,
            target: path.to_string(),
        })
    }

    /// The default: `data/gaoxin.db` under the working directory.
    pub fn default_sqlite() -> DatabaseUrl {
        DatabaseUrl {
            backend: Backend::Sqlite,
            target: "data/gaoxin.db".to_string(),
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// What sqlx connects to.
    pub(crate) fn connect_string(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite://{}?mode=rwc", self.target),
            Backend::Postgres => self.target.clone(),
        }
    }

    /// The folder a SQLite file goes in, to create before opening it.
    pub(crate) fn sqlite_dir(&self) -> Option<PathBuf> {
        match self.backend {
            Backend::Sqlite => PathBuf::from(&self.target)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map(PathBuf::from),
            Backend::Postgres => None,
        }
    }

    /// The SQLite file, for a SQLite URL.
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        match self.backend {
            Backend::Sqlite => Some(PathBuf::from(&self.target)),
            Backend::Postgres => None,
        }
    }

    /// The URL with any password hidden, for messages and logs.
    pub fn redacted(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite://{}", self.target),
            Backend::Postgres => redact(&self.target),
        }
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Hides the password in `scheme://user:password@host/...`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_their_backend() {
        let pg = DatabaseUrl::parse("postgres://u:secret@h/db").unwrap();
        assert_eq!(pg.backend(), Backend::Postgres);
        assert_eq!(pg.redacted(), "postgres://u:***@h/db");
        let lite = DatabaseUrl::parse("sqlite://data/x.db").unwrap();
        assert_eq!(lite.connect_string(), "sqlite://data/x.db?mode=rwc");
        assert_eq!(lite.sqlite_dir(), Some(PathBuf::from("data")));
        assert_eq!(
            DatabaseUrl::parse("plain.db").unwrap().backend(),
            Backend::Sqlite
        );
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
        assert!(DatabaseUrl::parse("sqlite::memory:").is_err());
    }
}
