//! The OpenAPI 3.1 description of `/api/v1/`, served at `/api/openapi.json`. The integration
//! tests call every path it lists and check the answers against the schemas' required fields.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

pub async fn spec(State(state): State<crate::AppState>) -> Json<Value> {
    // The ids the current plan has, so a client (and a test generator) knows which exist.
    let (zones, departments) = match state.plan().await {
        Ok(p) => (
            p.plan.zones().map(|z| z.id.clone()).collect(),
            p.plan.departments.iter().map(|d| d.id.clone()).collect(),
        ),
        Err(_) => (Vec::new(), Vec::new()),
    };
    Json(document(&zones, &departments))
}

/// The answers every operation may give besides its own: the request is malformed (400), no
/// session (401), not this account's (403), the database unavailable or slow (503).
fn with_errors(mut responses: Value) -> Value {
    let error = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": reference("Error") } } });
    for (code, text) in [
        ("400", "请求格式不对 / malformed request"),
        ("401", "未登录 / not signed in"),
        (
            "403",
            "无权访问，或须先修改口令、输入动态口令 / not permitted, or a password change or TOTP code first",
        ),
        ("413", "请求太大 / request too large"),
        (
            "503",
            "数据库暂时不可用、只读、磁盘已满或超时 / the database is unavailable, read-only, full or too slow",
        ),
    ] {
        if responses.get(code).is_none() {
            responses[code] = error(text);
        }
    }
    responses
}

/// A path parameter taking one of `ids` (any string when the plan is not loaded).
fn id_param(name: &str, ids: &[String]) -> Value {
    let schema = if ids.is_empty() {
        string()
    } else {
        json!({ "type": "string", "enum": ids })
    };
    json!({ "name": name, "in": "path", "required": true, "schema": schema })
}

fn ok(description: &str, schema: Value) -> Value {
    json!({ "200": { "description": description, "content": { "application/json": { "schema": schema } } } })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn array_of(name: &str) -> Value {
    json!({ "type": "array", "items": reference(name) })
}

fn string() -> Value {
    json!({ "type": "string" })
}

fn strings() -> Value {
    json!({ "type": "array", "items": { "type": "string" } })
}

fn period_param() -> Value {
    json!({ "name": "period", "in": "query", "required": false,
        "description": "报告期 YYYY-MM，默认为上月 / the period, YYYY-MM; default: last month",
        "schema": { "type": "string", "pattern": "^([1-9][0-9]{3}-(0?[1-9]|1[0-2]))?$" } })
}

/// The sign-in body: exactly the two fields, neither with a NUL (refused in any request).
fn login_body() -> Value {
    let text = json!({ "type": "string", "pattern": "^[^\\u0000]*$" });
    let mut body = object(
        &["username", "password"],
        json!({ "username": text, "password": text }),
    );
    body["additionalProperties"] = json!(false);
    body
}

fn object(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": properties })
}

pub fn document(zones: &[String], departments: &[String]) -> Value {
    let not_found = json!({ "description": "不存在 / not found", "content": { "application/json": { "schema": reference("Error") } } });
    let mut dept_responses = ok(
        "部门及其任务 / a department and its tasks",
        reference("DepartmentDuties"),
    );
    dept_responses["404"] = not_found.clone();
    let mut bench_responses = ok(
        "估算：所有得分和名次都是估算 / an estimate: every score and rank is estimated",
        reference("Benchmark"),
    );
    bench_responses["404"] = json!({ "description": "高新区不存在，或尚无可估算的数据（框架未载入、未列指标、无数值）/ no such zone, or nothing to estimate yet (framework not loaded, no indicators, no values)",
        "content": { "application/json": { "schema": reference("Error") } } });
    bench_responses["400"] = json!({ "description": "打分方法错误 / unknown method",
        "content": { "application/json": { "schema": reference("Error") } } });
    let mut zone_responses = ok("一个高新区 / one zone", reference("ZoneStatus"));
    zone_responses["404"] = not_found;
    zone_responses["400"] = json!({ "description": "报告期格式错误 / malformed period",
        "content": { "application/json": { "schema": reference("Error") } } });
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "gaoxin API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "高新区三年提升调度平台的只读接口：当前方案的目标、任务、子目标和责任分工，以及指标监测。\nRead-only API of gaoxin: the current plan's targets, tasks, sub-targets and responsibilities, and the indicator cockpit."
        },
        "paths": {
            "/api/v1/session": {
                "post": { "operationId": "signIn", "summary": "登录 / sign in",
                    "security": [],
                    "requestBody": { "required": true, "content": { "application/json": { "schema":
                        login_body() } } },
                    "responses": {
                        "200": { "description": "已登录：Set-Cookie 中的会话，以及之后请求要带的 CSRF 令牌 / signed in: the session in Set-Cookie, the CSRF token for later requests",
                            "content": { "application/json": { "schema": object(&["username", "unit", "roles", "must_change_password", "second_factor_required", "csrf_token"], json!({
                                "username": string(), "unit": string(), "roles": strings(),
                                "must_change_password": { "type": "boolean" }, "second_factor_required": { "type": "boolean" },
                                "csrf_token": string() })) } } },
                        "400": { "description": "请求格式不对 / malformed request", "content": { "application/json": { "schema": reference("Error") } } },
                        "401": { "description": "用户名或口令错误 / wrong user name or password", "content": { "application/json": { "schema": reference("Error") } } },
                        "403": { "description": "请求来源无效 / the request's origin is refused", "content": { "application/json": { "schema": reference("Error") } } },
                        "413": { "description": "请求太大 / request too large", "content": { "application/json": { "schema": reference("Error") } } },
                        "415": { "description": "不是 JSON / not JSON", "content": { "application/json": { "schema": reference("Error") } } },
                        "422": { "description": "JSON 不符合要求 / the JSON is not as described", "content": { "application/json": { "schema": reference("Error") } } },
                        "423": { "description": "本机暂时不能登录此账号 / this address may not sign in to this account for a while", "content": { "application/json": { "schema": reference("Error") } } },
                        "429": { "description": "本机登录尝试过多 / too many attempts from this address", "content": { "application/json": { "schema": reference("Error") } } },
                        "503": { "description": "数据库暂时不可用 / the database is unavailable", "content": { "application/json": { "schema": reference("Error") } } }
                    } },
                "delete": { "operationId": "signOut", "summary": "退出 / sign out",
                    "parameters": [{ "name": "X-CSRF-Token", "in": "header", "required": true, "schema": string() }],
                    "responses": with_errors(json!({ "204": { "description": "已退出 / signed out" } })) }
            },
            "/api/v1/plan": { "get": { "operationId": "getPlan", "summary": "当前方案概要 / the current plan",
                "responses": ok("当前方案 / the current plan", reference("PlanSummary")) } },
            "/api/v1/plan/versions": { "get": { "operationId": "listPlanVersions", "summary": "方案版本 / plan versions",
                "responses": ok("全部版本，旧的在前 / every version, oldest first", array_of("PlanVersion")) } },
            "/api/v1/targets": { "get": { "operationId": "listTargets", "summary": "发展目标 / targets",
                "responses": ok("每个高新区、指标、年份一条 / one per zone, indicator and year", array_of("TargetRow")) } },
            "/api/v1/tasks": { "get": { "operationId": "listTasks", "summary": "重点任务 / key tasks",
                "parameters": [{ "name": "include_safeguards", "in": "query", "required": false,
                    "description": "同时列出保障措施 / include the safeguard measures", "schema": { "type": "boolean" } }],
                "responses": ok("任务及牵头、实施单位 / tasks with lead and implementing units", array_of("TaskRow")) } },
            "/api/v1/subtargets": { "get": { "operationId": "listSubTargets", "summary": "量化子目标 / quantified sub-targets",
                "responses": ok("任务中的量化子目标 / sub-targets inside tasks", array_of("SubTarget")) } },
            "/api/v1/departments": { "get": { "operationId": "listDepartments", "summary": "部门与责任分工 / departments and duties",
                "responses": ok("每个部门牵头和实施的任务 / what each department leads and carries out", array_of("DepartmentDuties")) } },
            "/api/v1/departments/{id}": { "get": { "operationId": "getDepartment", "summary": "一个部门 / one department",
                "parameters": [id_param("id", departments)],
                "responses": dept_responses } },
            "/api/v1/cockpit/{zone}": { "get": { "operationId": "getZoneCockpit",
                "summary": "一个高新区各指标的监测状态 / one zone's indicators: actual, expected, target, status, forecast",
                "parameters": [id_param("zone", zones), period_param()],
                "responses": zone_responses } },
            "/api/v1/benchmark/{zone}": { "get": { "operationId": "getZoneBenchmark",
                "summary": "对标分析（估算）：一个高新区在其评价框架下各指标的位置、估算得分与名次、补强重点 / benchmarking (estimate): a zone's position on every indicator of its evaluation, estimated score and rank, where to strengthen",
                "parameters": [
                    id_param("zone", zones),
                    { "name": "framework", "in": "query", "required": false,
                      "description": "评价框架 id，缺省为方案指定的 / framework id; the plan's if omitted",
                      "schema": { "type": "string", "pattern": "^[a-z0-9-]*$", "maxLength": 64 } },
                    { "name": "year", "in": "query", "required": false,
                      "description": "数据年度（评价年度的上一年），缺省或无数据时为最新 / data year (the year before the evaluation's); the newest if omitted or without values",
                      "schema": { "type": "integer", "minimum": -2147483648i64, "maximum": 2147483647i64 } },
                    { "name": "method", "in": "query", "required": false,
                      "schema": { "enum": ["min-max", "benchmark", "z-score", ""] } }
                ],
                "responses": bench_responses } },
            "/api/v1/status": { "get": { "operationId": "getCityStatus",
                "summary": "全部高新区某期的监测状态与汇总 / every zone's indicators at a period, with the city summary",
                "parameters": [period_param()],
                "responses": ok("全部高新区 / every zone", reference("CityStatus")) } }
        },
        "components": { "schemas": {
            "PlanSummary": object(&["id", "title", "edition", "period", "version", "zones", "counts"], json!({
                "id": string(), "title": string(), "edition": string(),
                "period": object(&["start", "end"], json!({ "start": { "type": "integer" }, "end": { "type": "integer" } })),
                "version": reference("PlanVersion"),
                "zones": { "type": "array", "items": object(&["id", "name"], json!({ "id": string(), "name": string(), "share_base": { "type": ["string", "null"] } })) },
                "counts": object(&["targets", "tasks", "subtargets", "departments"], json!({
                    "targets": { "type": "integer" }, "tasks": { "type": "integer" },
                    "subtargets": { "type": "integer" }, "departments": { "type": "integer" } }))
            })),
            "PlanVersion": object(&["id", "plan_key", "version_no", "title", "edition", "content_sha256", "source_name", "loaded_at", "target_count", "task_count"], json!({
                "id": { "type": "integer" }, "plan_key": string(), "version_no": { "type": "integer" },
                "title": string(), "edition": string(), "content_sha256": string(), "source_name": string(),
                "loaded_at": { "type": "string", "description": "ISO 8601, +08:00" },
                "target_count": { "type": "integer" }, "task_count": { "type": "integer" }
            })),
            "TargetRow": object(&["zone", "zone_id", "indicator", "indicator_id", "year", "comparator", "value", "unit", "basis", "quote", "anchor"], json!({
                "zone": string(), "zone_id": string(), "indicator": string(), "indicator_id": string(),
                "year": { "type": "integer" }, "comparator": { "enum": [">=", "<=", "between"] },
                "value": { "type": "number" }, "unit": string(), "basis": { "type": "string", "description": "口径" },
                "quote": { "type": "string", "description": "方案原文出处 / the sentence of the plan it comes from" },
                "anchor": string()
            })),
            "TaskRow": object(&["id", "group", "group_id", "no", "task", "lead_departments", "lead_and_others", "implementing_units", "quote", "anchor"], json!({
                "id": string(), "group": string(), "group_id": string(), "no": string(), "task": string(),
                "lead_departments": strings(), "lead_and_others": { "type": "boolean" },
                "implementing_units": strings(), "quote": string(), "anchor": string()
            })),
            "SubTarget": object(&["id", "task", "name", "scope", "cadence", "comparator", "value", "unit", "quote"], json!({
                "id": string(), "task": string(), "name": string(),
                "scope": { "enum": ["all_zones", "each_zone"] }, "cadence": { "enum": ["once", "yearly", "standing"] },
                "year": { "type": ["integer", "null"] }, "comparator": { "enum": [">=", "<=", "between"] },
                "value": { "type": "number" }, "max": { "type": ["number", "null"] }, "unit": string(),
                "quote": object(&["text", "anchor"], json!({ "text": string(), "anchor": string() }))
            })),
            "ZoneStatus": object(&["zone", "name", "period", "sample_data", "indicators"], json!({
                "zone": string(), "name": string(), "period": { "type": "string", "description": "YYYY-MM" },
                "sample_data": { "type": "boolean", "description": "载入了示例数据（不是官方统计）/ sample data is loaded (not official statistics)" },
                "indicators": { "type": "array", "items": reference("IndicatorStatus") }
            })),
            "IndicatorStatus": object(&["indicator", "name", "unit", "comparator", "target", "status", "flags", "inputs"], json!({
                "indicator": string(), "name": string(), "unit": string(),
                "comparator": { "enum": [">=", "<=", "between"] }, "target": { "type": "number" },
                "status": { "enum": ["green", "yellow", "red", "gray"] },
                "period": { "type": ["string", "null"], "description": "实际值所属报告期 / the period of the actual value" },
                "actual": { "type": ["number", "null"] }, "expected": { "type": ["number", "null"], "description": "序时目标" },
                "expected_rule": { "type": ["object", "null"] },
                "gap": { "type": ["number", "null"], "description": "正数为领先 / positive is ahead" },
                "tolerance": { "type": ["number", "null"] },
                "forecast": { "type": ["object", "null"], "description": "预计全年 {value, method}" },
                "flags": { "type": "array", "items": { "enum": ["sample", "unconfirmed", "revised", "stale"] } },
                "inputs": { "type": "array", "items": object(&["unit", "figure", "period", "value", "state"], json!({
                    "unit": string(), "figure": string(), "period": string(), "value": { "type": "number" },
                    "state": { "enum": ["draft", "submitted", "reviewed", "confirmed", "returned"] },
                    "revised": { "type": "boolean" }, "sample": { "type": "boolean" } })) }
            })),
            "CityStatus": object(&["period", "sample_data", "summary", "zones", "subtarget_summary", "subtargets"], json!({
                "period": string(), "sample_data": { "type": "boolean" },
                "summary": reference("LightCounts"),
                "zones": { "type": "array", "items": reference("ZoneStatus") },
                "subtarget_summary": reference("LightCounts"),
                "subtargets": { "type": "array", "items": reference("SubTargetStatus") }
            })),
            "LightCounts": object(&["green", "yellow", "red", "gray"], json!({ "green": { "type": "integer" },
                "yellow": { "type": "integer" }, "red": { "type": "integer" }, "gray": { "type": "integer" } })),
            "SubTargetStatus": object(&["subtarget", "task", "name", "unit", "zone", "year", "period", "actual", "expected", "prorated", "gap", "tolerance", "status", "forecast", "closed", "above_range", "sample", "unknown"], json!({
                "subtarget": string(), "task": string(), "name": string(), "unit": string(),
                "zone": { "type": ["string", "null"], "description": "null：全市高新区合计 / the zones together" },
                "year": { "type": "integer", "description": "判断的目标年度 / the year judged" },
                "period": { "type": ["string", "null"], "description": "统计截至的报告期 / the period counted at" },
                "actual": { "type": ["number", "null"] }, "expected": { "type": ["number", "null"] },
                "prorated": { "type": "boolean" },
                "gap": { "type": ["number", "null"] }, "tolerance": { "type": ["number", "null"] },
                "status": { "enum": ["green", "yellow", "red", "gray"] },
                "forecast": { "type": ["number", "null"] },
                "closed": { "type": "boolean", "description": "目标年度已结束 / the year is over" },
                "above_range": { "type": "boolean" }, "sample": { "type": "boolean" },
                "unknown": { "enum": ["not_counted", "not_kept", "nothing_to_share", "not_started", null] }
            })),
            "Benchmark": object(&["zone", "framework", "peer_set", "data_year", "result_year", "method", "estimate", "sample", "peers", "composite", "rank", "band", "dimensions", "indicators", "strengthen", "trend"], json!({
                "zone": string(), "zone_name": string(),
                "framework": object(&["id", "name", "version", "complete"], json!({ "id": string(), "name": string(), "document": string(), "version": { "type": "integer" }, "complete": { "type": "boolean" } })),
                "peer_set": string(),
                "data_year": { "type": "integer", "description": "数据年度 / data year" },
                "result_year": { "type": "integer", "description": "评价年度 = 数据年度 + 1 / the evaluation's year" },
                "method": { "enum": ["min-max", "benchmark", "z-score"] },
                "estimate": { "const": true },
                "sample": { "type": "boolean", "description": "含示例数据 / includes sample data" },
                "peers": { "type": "integer" },
                "target_rank": { "type": ["integer", "null"] },
                "composite": { "type": "number", "description": "0–100" },
                "rank": { "type": "integer" },
                "band": { "type": "array", "items": object(&["method", "rank"], json!({ "method": string(), "rank": { "type": "integer" } })) },
                "dimensions": { "type": "array", "items": { "type": "object" } },
                "indicators": { "type": "array", "items": { "type": "object" } },
                "strengthen": { "type": "array", "items": { "type": "object" } },
                "path": { "type": ["object", "null"] },
                "calibration": { "type": ["object", "null"] },
                "trend": { "type": "array", "items": { "type": "object" } },
                "what_if": { "type": "array" }
            })),
            "DepartmentDuties": object(&["id", "name", "kind", "lead_tasks", "implementing_tasks"], json!({
                "id": string(), "name": string(), "kind": { "enum": ["lead", "implementing", "dispatch", "source"] },
                "unit": { "type": ["string", "null"] }, "lead_tasks": strings(), "implementing_tasks": strings()
            })),
            "Error": object(&["error"], json!({
                "error": object(&["code", "message_zh", "message_en"], json!({ "code": string(), "message_zh": string(), "message_en": string(), "request_id": string() }))
            }))
        } }
    });
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, ops) in paths.iter_mut() {
            if path == "/api/v1/session" {
                continue;
            }
            if let Some(ops) = ops.as_object_mut() {
                for op in ops.values_mut() {
                    op["responses"] = with_errors(op["responses"].take());
                }
            }
        }
    }
    doc["components"]["securitySchemes"] = json!({
        "session": { "type": "apiKey", "in": "cookie", "name": "gaoxin_session",
            "description": "POST /api/v1/session 设置的会话 Cookie（HTTPS 下名为 __Host-gaoxin_session）/ the session cookie POST /api/v1/session sets (__Host-gaoxin_session over HTTPS)" }
    });
    doc["security"] = json!([{ "session": [] }]);
    doc
}
