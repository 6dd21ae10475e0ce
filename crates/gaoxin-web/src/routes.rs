//! The route table: each route is declared once, with its method, path and the access it
//! requires, and both the axum router and the guard's table are built from that declaration.
//! A route cannot be added without saying who may use it, and a method the table does not list
//! for a path is refused by the router (405) before any handler runs.

use crate::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, delete, get, post};
use gaoxin_core::auth::Capability;
use std::collections::HashMap;

/// What a route requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: the login page, assets, health, the API description.
    Public,
    /// Any signed-in account, even one that must change its password.
    SignedIn,
    /// An account with a capability.
    Needs(Capability),
}

/// The body limit of an upload route: the file's own limit and room for the form around it.
pub(crate) fn upload_limit(bytes: usize) -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(bytes + 64 * 1024)
}

/// One route and method, and what it requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteAccess {
    /// `GET`, `POST` or `DELETE`; a `GET` route answers `HEAD` too, with the same access.
    pub method: &'static str,
    /// The path as the router matches it, with `{parameters}`.
    pub path: String,
    pub access: Access,
}

/// Access by matched path, then method, for the guard: looked up by the borrowed path of each
/// request, nothing allocated.
pub type AccessMap = HashMap<String, HashMap<&'static str, Access>>;

/// The routes being declared.
pub(crate) struct Routes {
    router: Router<AppState>,
    table: Vec<RouteAccess>,
}

impl Routes {
    pub(crate) fn new() -> Routes {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    pub(crate) fn get<H, T>(self, path: &'static str, access: Access, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.method("GET", path, access, get(handler))
    }

    pub(crate) fn post<H, T>(self, path: &'static str, access: Access, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.method("POST", path, access, post(handler))
    }

    pub(crate) fn delete<H, T>(self, path: &'static str, access: Access, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.method("DELETE", path, access, delete(handler))
    }

    /// A route for one method whose handler carries a layer of its own (a body limit).
    pub(crate) fn method(
        mut self,
        method: &'static str,
        path: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
    ) -> Routes {
        self.table.push(RouteAccess {
            method,
            path: path.to_string(),
            access,
        });
        self.router = self.router.route(path, handler);
        self
    }

    /// Adds the routes another module declared.
    pub(crate) fn merge(mut self, other: Routes) -> Routes {
        self.table.extend(other.table);
        self.router = self.router.merge(other.router);
        self
    }

    /// Nests routes at `prefix`; their table entries carry it.
    pub(crate) fn nest(mut self, prefix: &'static str, inner: Routes) -> Routes {
        for r in inner.table {
            self.table.push(RouteAccess {
                path: format!("{prefix}{}", r.path),
                ..r
            });
        }
        self.router = self.router.nest(prefix, inner.router);
        self
    }

    /// A fallback for the routes under this prefix.
    pub(crate) fn fallback<H, T>(mut self, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.fallback(handler);
        self
    }

    pub(crate) fn table(&self) -> Vec<RouteAccess> {
        self.table.clone()
    }

    pub(crate) fn access_map(&self) -> AccessMap {
        let mut map = AccessMap::new();
        for r in &self.table {
            map.entry(r.path.clone())
                .or_default()
                .insert(r.method, r.access);
        }
        map
    }

    pub(crate) fn into_router(self) -> Router<AppState> {
        self.router
    }
}

/// What a request needs: the declared access of its matched route and method (`HEAD` as
/// `GET`). A request no route matched needs a signed-in account (a stranger is sent to sign
/// in, so which paths exist is not probed from outside; anyone signed in gets the 404 page,
/// an administrator's browser asking for `/favicon.ico` included, without an `authz.denied`
/// in the audit log for it); `None`: the path exists but not with this method (answered 405
/// before anything else).
pub(crate) fn access_of(map: &AccessMap, method: &str, matched: Option<&str>) -> Option<Access> {
    let Some(path) = matched else {
        return Some(Access::SignedIn);
    };
    let method = match method {
        "HEAD" | "GET" => "GET",
        "POST" => "POST",
        "DELETE" => "DELETE",
        _ => return None,
    };
    match map.get(path) {
        // The path with other methods only: `None`.
        Some(methods) => methods.get(method).copied(),
        // Not a route: only the fallback answers it, with a 404.
        None => Some(Access::SignedIn),
    }
}
