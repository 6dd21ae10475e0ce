//! The web application in-process: pages, language switch, the JSON API against its OpenAPI
//! description, and the headers every response carries.

use crate::support::{OwnedDb, SEED, SEED_NAME};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gaoxin_core::auth::RoleKind;
use gaoxin_core::time::Timestamp;
use gaoxin_store::{Actor, AuditKey, NewAccount, Store};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use tower::ServiceExt;

#[derive(Clone)]
pub struct App {
    pub router: Router,
    pub store: Store,
    pub key: AuditKey,
    pub clock: Arc<AtomicI64>,
    /// The session cookie and CSRF token of the signed-in account, if any.
    pub session: Option<(String, String)>,
    /// Administrators' TOTP secrets, once enrolled.
    pub totp_secrets: Arc<std::sync::Mutex<std::collections::HashMap<String, String>>>,
    _dir: Option<Arc<OwnedDb>>,
}

pub const PASSWORD: &str = "Gx2025!ok";
pub const HOST: &str = "gaoxin.test";
pub const T0: i64 = 1_795_800_000;

/// A fresh app on SQLite with the seed plan, a clock the test moves, and no account.
/// The text of the `<section>` with this id on a page (a card of the big screen, a chart of
/// the dashboards).
pub fn section<'a>(body: &'a str, id: &str) -> &'a str {
    body.split(&format!("id=\"{id}\""))
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or_else(|| panic!("no section {id}: {body}"))
}

pub async fn bare_app() -> App {
    let dir = OwnedDb::new().await;
    let store = Store::open(&dir.url()).await.unwrap();
    App {
        _dir: Some(Arc::new(dir)),
        ..app_on(store).await
    }
}

/// The link of the element `id` in a page, unescaped (`href="…" … id="id"`).
pub fn link_of(body: &str, id: &str) -> Option<String> {
    let (before, _) = body.split_once(&format!("id=\"{id}\""))?;
    let href = before.rsplit("href=\"").next()?;
    Some(href.split('"').next()?.replace("&#38;", "&"))
}

/// An app on a store the test opened, with the seed plan loaded.
pub async fn app_on(store: Store) -> App {
    let key = AuditKey::from_bytes(b"web test audit key".to_vec());
    let store = store.sealing(key.clone());
    store
        .load_plan(SEED_NAME, SEED, gaoxin_store::now())
        .await
        .unwrap();
    let clock = Arc::new(AtomicI64::new(T0));
    let c = clock.clone();
    let state = gaoxin_web::AppState::with_clock(
        store.clone(),
        key.clone(),
        gaoxin_web::Config::default(),
        Arc::new(move || Timestamp(c.load(Ordering::SeqCst))),
    );
    App {
        router: gaoxin_web::router(state),
        store,
        key,
        clock,
        session: None,
        totp_secrets: Arc::default(),
        _dir: None,
    }
}

/// An app with a dispatcher signed in.
async fn app() -> App {
    let mut app = bare_app().await;
    app.add_user("disp", "dispatch", &[RoleKind::Dispatcher], false)
        .await;
    app.sign_in("disp").await;
    app
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent (a workbook is not text).
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl App {
    pub async fn add_user(&self, name: &str, unit: &str, roles: &[RoleKind], must_change: bool) {
        let new = NewAccount {
            username: name.into(),
            unit: unit.into(),
            roles: roles.to_vec(),
            password_hash: gaoxin_core::auth::password::hash(PASSWORD, &[3; 16]).unwrap(),
            must_change_password: must_change,
            full_name: String::new(),
            phone: String::new(),
        };
        self.store
            .create_account(&self.key, &Actor::console(), &new, Timestamp(T0))
            .await
            .unwrap();
    }

    pub fn advance(&self, secs: i64) {
        self.clock.fetch_add(secs, Ordering::SeqCst);
    }

    /// Signs in through the JSON API with the password only (an administrator's session then
    /// still waits for its second factor); keeps the cookie and CSRF token, returns the answer.
    pub async fn sign_in_password(&mut self, name: &str) -> Value {
        let r = self.login_json(name, PASSWORD, "10.0.0.1").await;
        assert_eq!(r.status, StatusCode::OK, "sign in {name}: {}", r.body);
        let cookie = r.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let v: Value = serde_json::from_str(&r.body).unwrap();
        self.session = Some((cookie, v["csrf_token"].as_str().unwrap().to_string()));
        v
    }

    /// Signs in through the JSON API, giving an administrator's TOTP code too (enrolling on the
    /// first sign-in); keeps the cookie and CSRF token.
    pub async fn sign_in(&mut self, name: &str) {
        let v = self.sign_in_password(name).await;
        if v["second_factor_required"] == true {
            let secret = self.totp_secret_shown().await.or(self
                .totp_secrets
                .lock()
                .unwrap()
                .get(name)
                .cloned());
            let secret = secret.expect("an enrolment page or a known secret");
            self.totp_secrets
                .lock()
                .unwrap()
                .insert(name.to_string(), secret.clone());
            let r = self
                .post_form(
                    "/account/2fa",
                    &[("code", &self.totp_code(&secret, 0))],
                    None,
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::SEE_OTHER,
                "second factor for {name}: {}",
                r.body
            );
            // A time step may be used once: later sign-ins in the same test move the clock on.
            self.advance(30);
        }
    }

    /// The secret an enrolment page shows, if this page is one.
    pub async fn totp_secret_shown(&self) -> Option<String> {
        let page = self.get("/account/2fa").await;
        let at = page.body.find("data-secret=\"")? + "data-secret=\"".len();
        Some(page.body[at..].split('"').next()?.to_string())
    }

    /// The code for `secret` (base32) at the test clock, `steps` time steps away.
    pub fn totp_code(&self, secret: &str, steps: i64) -> String {
        use gaoxin_core::auth::totp;
        let key = totp::base32_decode(secret).unwrap();
        let at = Timestamp(self.clock.load(Ordering::SeqCst) + steps * totp::STEP);
        format!("{:06}", totp::code_at(totp::Algorithm::Sha1, &key, at, 6))
    }

    pub async fn login_json(&self, name: &str, password: &str, ip: &str) -> Reply {
        let body = serde_json::json!({ "username": name, "password": password }).to_string();
        let req = Request::post("/api/v1/session")
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap();
        self.send_from(req, ip).await
    }

    pub async fn send_from(&self, mut req: Request<Body>, ip: &str) -> Reply {
        let addr: std::net::SocketAddr = format!("{ip}:40000").parse().unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(addr));
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    /// Sends a request as the signed-in account (if any), from this server's own pages.
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let (mut parts, body) = req.into_parts();
        parts
            .headers
            .entry(header::HOST)
            .or_insert(HOST.parse().unwrap());
        if let Some((cookie, _)) = &self.session {
            let existing = parts
                .headers
                .get(header::COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(String::from);
            let all = existing.map_or_else(|| cookie.clone(), |e| format!("{e}; {cookie}"));
            parts.headers.insert(header::COOKIE, all.parse().unwrap());
        }
        self.send_from(Request::from_parts(parts, body), "10.0.0.1")
            .await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    /// A form POST from our own origin, with the session's CSRF token unless `csrf` says otherwise.
    pub async fn post_form(&self, uri: &str, fields: &[(&str, &str)], csrf: Option<&str>) -> Reply {
        let mut pairs: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let token = csrf
            .map(String::from)
            .or_else(|| self.session.as_ref().map(|s| s.1.clone()));
        if let Some(t) = token {
            pairs.push(("csrf".into(), t));
        }
        let body = serde_urlencoded::to_string(&pairs).unwrap();
        let req = Request::post(uri)
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// A copy of this app with a new account `name` of `unit` signed in.
    pub async fn signed_in(&self, name: &str, unit: &str, role: RoleKind) -> App {
        let mut a = self.clone();
        a.add_user(name, unit, &[role], false).await;
        a.sign_in(name).await;
        a
    }

    /// Uploads a file as the page's htmx form does (multipart, CSRF token in a header).
    pub async fn upload(&self, uri: &str, file_name: &str, bytes: Vec<u8>) -> Reply {
        let boundary = "gaoxin-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        )
        .into_bytes();
        body.extend(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        let csrf = self.session.as_ref().unwrap().1.clone();
        let req = Request::post(uri)
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header("x-csrf-token", csrf)
            .header("hx-request", "true")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    pub async fn json(&self, uri: &str) -> (StatusCode, Value) {
        let r = self.get(uri).await;
        let v = serde_json::from_str(&r.body)
            .unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {}", r.body));
        (r.status, v)
    }
}

#[tokio::test]
async fn overview_shows_both_zones_with_their_targets_and_charts() {
    let app = app().await;
    let r = app.get("/overview").await;
    assert_eq!(r.status, StatusCode::OK);
    for text in [
        "石家庄高新区",
        "正定高新区",
        "≥7%",
        "≥320 家",
        "≤20 名次",
        "≤1 名次",
        "≥75%",
        "占比类指标的分母：正定县",
    ] {
        assert!(r.body.contains(text), "overview lacks {text}");
    }
    assert_eq!(
        r.body.matches("data-chart=").count(),
        3,
        "% and 家 for 石家庄高新区, % for 正定高新区"
    );
    assert!(r.body.contains("echarts.min.js?v="));
    // This year's column is marked in each zone's table while the plan runs.
    let year = gaoxin_store::now().year();
    let marked = if (2025..=2027).contains(&year) { 2 } else { 0 };
    assert_eq!(r.body.matches("this-year").count(), marked);
}

#[tokio::test]
async fn every_source_link_lands_on_an_anchor_of_the_plan_text() {
    let app = app().await;
    let text = app.get("/plan/text").await;
    assert_eq!(text.status, StatusCode::OK);
    assert!(text.body.contains("石家庄市高新技术产业开发区"));
    let mut links = 0;
    for page in ["/overview", "/plan", "/duties", "/departments/sci-tech"] {
        let r = app.get(page).await;
        for part in r.body.split("href=\"/plan/text#").skip(1) {
            let anchor = part.split('"').next().unwrap();
            assert!(
                text.body.contains(&format!("id=\"{anchor}\"")),
                "{page}: #{anchor} is not on the text page"
            );
            links += 1;
        }
    }
    // 35 targets on the overview, 5 groups + 16 tasks + 11 sub-targets + 1 on the plan page …
    assert!(links > 35 + 33, "only {links} source links");
}

#[tokio::test]
async fn plan_page_shows_tasks_with_their_departments_and_subtargets() {
    let app = app().await;
    let r = app.get("/plan").await;
    assert_eq!(r.status, StatusCode::OK);
    for text in [
        "建设创新研发机构",
        "加快园区智能化绿色化转型",
        "强化运行调度",
        "市市场监督管理局",
        "企业与高校、科研院所对接活动",
        "≥10 场",
        "2–3 个",
        "新认定人才飞地",
        "2025 年内",
        "全市高新区合计",
        "征求意见稿",
    ] {
        assert!(r.body.contains(text), "plan page lacks {text}");
    }
}

#[tokio::test]
async fn duties_matrix_marks_each_lead_and_implementing_role() {
    let app = app().await;
    let r = app.get("/duties").await;
    assert_eq!(r.status, StatusCode::OK);
    // Leads as the plan's parentheses list them: 3+2+4+1+3+1+3+4+1+1+2+3+4.
    assert_eq!(r.body.matches("<td class=\"cell-lead\">").count(), 32);
    // Three implementing units on each of 13 key tasks, plus 3+2+3 on the safeguard measures.
    assert_eq!(
        r.body.matches("<td class=\"cell-impl\">").count(),
        13 * 3 + 8
    );
    assert!(r.body.contains("hx-get=\"/departments/commerce\""));
}

#[tokio::test]
async fn department_page_is_whole_or_a_panel_for_htmx() {
    let app = app().await;
    let full = app.get("/departments/investment").await;
    assert_eq!(full.status, StatusCode::OK);
    assert!(full.body.contains("<html") && full.body.contains("市投促局 的任务"));
    assert!(
        full.body.contains("牵头 4 项，负责实施 0 项"),
        "tasks 5, 7, 9, 10"
    );
    let panel = app
        .send(
            Request::get("/departments/investment")
                .header("HX-Request", "true")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(panel.status, StatusCode::OK);
    assert!(!panel.body.contains("<html") && panel.body.contains("强化招商引资"));
    let missing = app.get("/departments/no-such").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("找不到页面"));
}

#[tokio::test]
async fn language_switch_remembers_english_and_refuses_to_leave_the_site() {
    let app = app().await;
    let r = app.get("/lang?to=en&next=/plan").await;
    assert!(r.status.is_redirection());
    assert_eq!(r.headers[header::LOCATION], "/plan");
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap().to_string();
    assert!(cookie.starts_with("gaoxin_lang=en;") && cookie.contains("SameSite=Strict"));
    let en = app
        .send(
            Request::get("/plan")
                .header(header::COOKIE, "gaoxin_lang=en")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        en.body.contains("<html lang=\"en\">")
            && en.body.contains("Plan structure")
            && en.body.contains("Lead departments")
    );
    let zh = app.get("/plan").await;
    assert!(zh.body.contains("<html lang=\"zh-CN\">") && zh.body.contains("方案结构"));
    for evil in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let r = app.get(&format!("/lang?to=en&next={evil}")).await;
        assert_eq!(r.headers[header::LOCATION], "/", "{evil}");
    }
    assert_eq!(app.get("/lang?to=xx").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = app().await;
    for uri in ["/", "/api/v1/plan", "/nope", "/assets/app.css"] {
        let r = app.get(uri).await;
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{uri}"
        );
        assert_eq!(
            r.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{uri}"
        );
        let cache = r.headers[header::CACHE_CONTROL].to_str().unwrap();
        let expected = if uri.starts_with("/assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-store"
        };
        assert_eq!(cache, expected, "{uri}");
    }
}

#[tokio::test]
async fn assets_are_served_by_the_binary() {
    let app = app().await;
    for (name, mime) in [
        ("echarts.min.js", "text/javascript"),
        ("htmx.min.js", "text/javascript"),
        ("app.css", "text/css"),
    ] {
        let r = app.get(&format!("/assets/{name}")).await;
        assert_eq!(r.status, StatusCode::OK, "{name}");
        assert!(
            r.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(mime)
        );
        assert!(r.body.len() > 1000, "{name} is too small to be real");
    }
    assert_eq!(
        app.get("/assets/../../etc/passwd").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/assets/nope.js").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn healthz_answers_ok() {
    let app = app().await;
    let r = app.get("/healthz").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
}

/// The required properties of a schema, following one `$ref`.
fn required<'a>(spec: &'a Value, schema: &'a Value) -> (&'a Value, Vec<String>) {
    let schema = match schema["$ref"].as_str() {
        Some(r) => &spec["components"]["schemas"][r.trim_start_matches("#/components/schemas/")],
        None => schema,
    };
    let names = schema["required"].as_array().map_or_else(Vec::new, |a| {
        a.iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect()
    });
    (schema, names)
}

fn conforms(spec: &Value, schema: &Value, value: &Value, at: &str) {
    if schema["type"] == "array" || schema["items"].is_object() {
        let items = value
            .as_array()
            .unwrap_or_else(|| panic!("{at}: expected an array"));
        // A top-level list must have rows to check; nested lists may be empty.
        assert!(
            at.contains(['.', '[']) || !items.is_empty(),
            "{at}: empty array"
        );
        for (i, item) in items.iter().enumerate() {
            conforms(spec, &schema["items"], item, &format!("{at}[{i}]"));
        }
        return;
    }
    let (schema, names) = required(spec, schema);
    for name in names {
        let field = value
            .get(&name)
            .unwrap_or_else(|| panic!("{at}: missing required field {name}"));
        let sub = &schema["properties"][&name];
        if sub["$ref"].is_string() || sub["type"] == "object" || sub["type"] == "array" {
            conforms(spec, sub, field, &format!("{at}.{name}"));
        }
    }
}

#[tokio::test]
async fn the_api_answers_every_path_of_its_openapi_description() {
    let app = app().await;
    // 对标分析 answers once there is something to estimate: a framework and a peer set.
    let source = include_str!("../../../../plans/evaluations/national-2021.toml");
    app.store
        .load_framework("n21", source, None, gaoxin_store::now())
        .await
        .unwrap();
    let framework = gaoxin_core::benchmarking::Framework::parse("n21", source).unwrap();
    crate::support::load_sample_peers(&app.store, &framework, 10, 1).await;
    let (status, spec) = app.json("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().unwrap();
    assert!(paths.len() >= 7);
    for (path, item) in paths {
        if item.get("get").is_none() {
            continue; // the session: signing in and out, tested in auth
        }
        let uri = path.replace("{id}", "sci-tech").replace("{zone}", "sjz-hz");
        let (status, body) = app.json(&uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let schema = &item["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        conforms(&spec, schema, &body, &uri);
    }
}

#[tokio::test]
async fn the_api_counts_and_errors_are_right() {
    let app = app().await;
    let (_, plan) = app.json("/api/v1/plan").await;
    assert_eq!(plan["counts"]["targets"], 35);
    assert_eq!(plan["version"]["version_no"], 1);
    let (_, tasks) = app.json("/api/v1/tasks").await;
    assert_eq!(tasks.as_array().unwrap().len(), 13);
    let (_, all) = app.json("/api/v1/tasks?include_safeguards=true").await;
    assert_eq!(all.as_array().unwrap().len(), 16);
    let (_, dept) = app.json("/api/v1/departments/sci-tech").await;
    let leads: Vec<&str> = dept["lead_tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        leads,
        ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t12"]
    );
    let (status, err) = app.json("/api/v1/departments/nobody").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["error"]["code"], "not_found");
    assert!(
        err["error"]["message_zh"]
            .as_str()
            .unwrap()
            .contains("不存在")
    );
    let (status, _) = app.json("/api/v1/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_answer_carries_its_request_id_and_error_pages_show_it() {
    let a = app().await;
    // A page: the id in the header, twelve hex digits, a new one each time.
    let one = a.get("/").await;
    let id = one.headers["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 12, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(a.get("/").await.headers["x-request-id"], id.as_str());
    // An error page says it, so a screenshot leads to the log lines.
    let missing = a.get("/departments/no-such").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let id = missing.headers["x-request-id"].to_str().unwrap();
    assert!(
        missing.body.contains(&format!("<code>{id}</code>")),
        "{}",
        missing.body
    );
    // A JSON error too.
    let api = a.get("/api/v1/departments/no-such").await;
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(
        json["error"]["request_id"],
        api.headers["x-request-id"].to_str().unwrap()
    );
    // An id a proxy gave is kept; one that is not plain is replaced.
    let given = a
        .send(
            Request::get("/")
                .header("x-request-id", "proxy-42")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(given.headers["x-request-id"], "proxy-42");
    let hostile = a
        .send(
            Request::get("/")
                .header("x-request-id", "a<script>")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_ne!(hostile.headers["x-request-id"], "a<script>");
}
