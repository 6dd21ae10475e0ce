//! `gaoxin user …` and `gaoxin audit …`: accounts from the server's console, and checking the
//! audit chain. Console actions are audited as `console:$USER`.

use crate::data::{DataArgs, csv_line, database_url, open};
use anyhow::{Context, Result, anyhow, bail};
use gaoxin_core::auth::password::{self, PasswordPolicy};
use gaoxin_core::auth::{RoleKind, check_roles, check_username};
use gaoxin_core::text::{Lang, Message, Name};
use gaoxin_store::{Actor, AnchorCheck, AuditKey, NewAccount, Store, random};
use std::io::{BufRead, Write};
use std::process::ExitCode;

/// A unit named by id or by name, checked against the current plan.
async fn unit_id(store: &Store, unit: &str) -> Result<String> {
    let plan = crate::data::current_plan(store).await?;
    match plan
        .departments
        .iter()
        .find(|d| d.id == unit || d.name == unit)
    {
        Some(d) => Ok(d.id.clone()),
        None => {
            let known: Vec<String> = plan
                .departments
                .iter()
                .map(|d| format!("{}（{}）", d.id, d.name))
                .collect();
            bail!(
                "未知的单位“{unit}”。可用：{} / unknown unit \"{unit}\"; use a department id or name from the plan",
                known.join("、")
            )
        }
    }
}

fn parse_roles(roles: &[String]) -> Result<Vec<RoleKind>> {
    let mut out = Vec::new();
    for r in roles {
        let role = RoleKind::parse(r.trim()).ok_or_else(|| {
            let codes: Vec<String> = RoleKind::ALL
                .iter()
                .map(|k| format!("{}（{}）", k.code(), k.name(Lang::Zh)))
                .collect();
            anyhow!(
                "未知的角色“{r}”。可用：{} / unknown role \"{r}\"",
                codes.join("、")
            )
        })?;
        if !out.contains(&role) {
            out.push(role);
        }
    }
    check_roles(&out).map_err(|e| anyhow!("{}", e.text()))?;
    Ok(out)
}

pub async fn add(
    data: &DataArgs,
    name: &str,
    unit: &str,
    roles: &[String],
    (full_name, phone): (&str, &str),
    password_stdin: Option<PasswordPolicy>,
) -> Result<ExitCode> {
    check_username(name).map_err(|e| anyhow!("{}", e.text()))?;
    let (full_name, phone) =
        gaoxin_core::auth::check_profile(full_name, phone).map_err(|e| anyhow!("{}", e.text()))?;
    let roles = parse_roles(roles)?;
    let (password, one_time) = if let Some(policy) = password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("无法读取标准输入 / cannot read stdin")?;
        let password = line.trim_end_matches(['\r', '\n']).to_string();
        let problems = policy.check(&password, name);
        if !problems.is_empty() {
            let zh: Vec<String> = problems.iter().map(|p| p.text().zh).collect();
            let en: Vec<String> = problems.iter().map(|p| p.text().en).collect();
            bail!(
                "口令不符合策略：{} / the password breaks the policy: {}",
                zh.join(""),
                en.join(" ")
            );
        }
        (password, false)
    } else {
        (random::one_time_password()?, true)
    };
    let hash = password::hash(&password, &random::bytes::<16>()?)?;
    let opened = open(data).await?;
    let key = opened.key.clone();
    let account = opened
        .run(async |store| {
            let unit = unit_id(store, unit).await?;
            let new = NewAccount {
                username: name.to_string(),
                unit,
                roles,
                password_hash: hash,
                must_change_password: one_time,
                full_name,
                phone,
            };
            Ok(store
                .create_account(&key, &Actor::console(), &new, gaoxin_store::now())
                .await?)
        })
        .await?;
    let roles: Vec<&str> = account.roles.iter().map(|r| r.name(Lang::Zh)).collect();
    println!(
        "已创建账号 {}（单位 {}，角色 {}）/ created account {}",
        account.username,
        account.unit,
        roles.join("、"),
        account.username
    );
    if one_time {
        println!(
            "一次性口令（只显示这一次，首次登录后必须修改）/ one-time password (shown once; must be changed at first login):\n{password}"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// On a database without accounts: the three administrators of 三员分立, each with a one-time
/// password printed once, to be changed (and a TOTP enrolled) at the first sign-in. They belong
/// to the dispatch office when the plan has one, else to the plan's first department.
pub async fn bootstrap_administrators(store: &Store, key: &AuditKey) -> Result<()> {
    let plan = crate::data::current_plan(store).await?;
    let unit = plan
        .dispatch_office()
        .or(plan.departments.first())
        .map(|d| d.id.clone())
        .context("方案中没有部门 / the plan has no department")?;
    let accounts = [
        ("sysadmin", RoleKind::SystemAdmin),
        ("secadmin", RoleKind::SecurityAdmin),
        ("auditadmin", RoleKind::AuditAdmin),
    ];
    let mut news = Vec::new();
    let mut shown = Vec::new();
    for (name, role) in accounts {
        let password = random::one_time_password()?;
        let hash = password::hash(&password, &random::bytes::<16>()?)?;
        news.push(NewAccount {
            username: name.to_string(),
            unit: unit.clone(),
            roles: vec![role],
            password_hash: hash,
            must_change_password: true,
            full_name: String::new(),
            phone: String::new(),
        });
        shown.push(format!(
            "  {name:<11} {:<6} {password}",
            role.name(Lang::Zh)
        ));
    }
    // All three or none, and once: another server starting on the same new database at the
    // same moment finds them made.
    if store
        .create_first_accounts(key, &Actor::console(), &news, gaoxin_store::now())
        .await?
    {
        println!(
            "新数据库：已创建三员分立的三个管理员账号。一次性口令只显示这一次，首次登录时必须修改并绑定动态口令：\n\
             fresh database: created the three administrator accounts. Their one-time passwords are shown \
             only now; each must be changed, and an authenticator bound, at the first sign-in:"
        );
        for line in shown {
            println!("{line}");
        }
    }
    Ok(())
}

pub async fn list(data: &DataArgs, json: bool) -> Result<ExitCode> {
    let accounts = open(data)
        .await?
        .run(async |store| Ok(store.accounts().await?))
        .await?;
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&accounts)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "username,unit,roles,disabled,must_change_password,totp,created_at,full_name,phone"
    )?;
    for a in accounts {
        let roles: Vec<&str> = a.roles.iter().map(|r| r.code()).collect();
        let created = gaoxin_core::time::Timestamp(a.created_at).to_iso8601();
        writeln!(
            out,
            "{}",
            csv_line(&[
                &a.username,
                &a.unit,
                &roles.join("|"),
                &a.disabled.to_string(),
                &a.must_change_password.to_string(),
                &a.totp_enabled.to_string(),
                &created,
                &a.full_name,
                &a.phone,
            ])
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `gaoxin user profile NAME --full-name 张三 --phone 0311-…`: the person behind an account.
pub async fn profile(
    data: &DataArgs,
    name: &str,
    full_name: &str,
    phone: &str,
) -> Result<ExitCode> {
    let opened = open(data).await?;
    let key = opened.key.clone();
    let account = opened
        .run(async |store| {
            Ok(store
                .set_profile(
                    &key,
                    &Actor::console(),
                    name,
                    full_name,
                    phone,
                    gaoxin_store::now(),
                )
                .await?)
        })
        .await?;
    println!(
        "已保存 {} 的姓名和电话：{} {} / saved the name and phone of {}",
        account.username, account.full_name, account.phone, account.username
    );
    Ok(ExitCode::SUCCESS)
}

/// `gaoxin user roles NAME --role …`: the console is where administrators' roles change.
pub async fn set_roles(data: &DataArgs, name: &str, roles: &[String]) -> Result<ExitCode> {
    let roles = parse_roles(roles)?;
    let opened = open(data).await?;
    let key = opened.key.clone();
    let account = opened
        .run(async |store| {
            Ok(store
                .set_roles(&key, &Actor::console(), name, &roles, gaoxin_store::now())
                .await?)
        })
        .await?;
    let zh: Vec<&str> = account.roles.iter().map(|r| r.name(Lang::Zh)).collect();
    let en: Vec<&str> = account.roles.iter().map(|r| r.code()).collect();
    println!(
        "账号 {name} 的角色已设为 {}，其会话已结束 / the roles of {name} are now {} and its sessions ended",
        zh.join("、"),
        en.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn disable(data: &DataArgs, name: &str) -> Result<ExitCode> {
    let opened = open(data).await?;
    let key = opened.key.clone();
    opened
        .run(async |store| {
            Ok(store
                .disable_account(&key, &Actor::console(), name, gaoxin_store::now())
                .await?)
        })
        .await?;
    println!("已停用账号 {name}，其会话已结束 / disabled account {name} and ended its sessions");
    Ok(ExitCode::SUCCESS)
}

/// `gaoxin user reset-password NAME`: a forgotten password replaced by a one-time one, printed
/// once; the account changes it at its next sign-in. The only way for an administrator's account.
pub async fn reset_password(data: &DataArgs, name: &str) -> Result<ExitCode> {
    let password = random::one_time_password()?;
    let hash = password::hash(&password, &random::bytes::<16>()?)?;
    let opened = open(data).await?;
    let key = opened.key.clone();
    opened
        .run(async |store| {
            Ok(store
                .reset_password(&key, &Actor::console(), name, &hash, gaoxin_store::now())
                .await?)
        })
        .await?;
    println!(
        "已重置 {name} 的口令，其会话已结束 / reset the password of {name} and ended its sessions"
    );
    println!(
        "一次性口令（只显示这一次，下次登录后必须修改）/ one-time password (shown once; must be changed at the next sign-in):\n{password}"
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn reset_totp(data: &DataArgs, name: &str) -> Result<ExitCode> {
    let opened = open(data).await?;
    let key = opened.key.clone();
    opened
        .run(async |store| {
            Ok(store
                .reset_totp(&key, &Actor::console(), name, gaoxin_store::now())
                .await?)
        })
        .await?;
    println!(
        "已清除 {name} 的动态口令，其会话已结束；下次登录时重新绑定 / cleared the TOTP of {name} and ended its sessions; it enrols again at the next sign-in"
    );
    Ok(ExitCode::SUCCESS)
}

/// `gaoxin audit verify`: the chain, then its anchor outside the database. Exit status 1 names
/// the first break; a missing anchor is said, not failed (a new installation has none yet).
pub async fn verify(data: &DataArgs) -> Result<ExitCode> {
    data.refuse_missing()?;
    let store = Store::open(&database_url(data.database.as_deref())?).await?;
    let anchor = data.anchor();
    let result = async {
        // Verifying never makes a key: a missing one is an error.
        let key = AuditKey::read(&data.key())?;
        let chain = store.verify_audit(&key).await?;
        if std::env::var_os("GAOXIN_REPORT_PEAK_MEMORY").is_some()
            && let Some(kb) = crate::ledger::peak_memory_kb()
        {
            eprintln!("peak_memory_kb={kb}");
        }
        let anchored = match &chain {
            Ok(n) => Some(store.check_anchor(&key, &anchor, *n as i64).await?),
            Err(_) => None,
        };
        Ok::<_, anyhow::Error>((chain, anchored))
    }
    .await;
    store.close().await;
    let (chain, anchored) = result?;
    let n = match chain {
        Ok(n) => n,
        Err(broken) => {
            eprintln!(
                "审计链已损坏：{} / the audit chain is broken: {}",
                broken.text().zh,
                broken.text().en
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    match anchored {
        Some(AnchorCheck::Broken(a, broken)) => {
            eprintln!(
                "审计链已损坏：{}（锚点写于 {}）/ the audit chain is broken: {} (anchored at {})",
                broken.text().zh,
                a.at,
                broken.text().en,
                a.at
            );
            return Ok(ExitCode::FAILURE);
        }
        Some(AnchorCheck::Holds(a)) => println!(
            "审计链完整：共 {n} 个事件，与锚点一致（#{}，{}）/ the audit chain is intact: {n} events, \
             matching its anchor (#{}, {})",
            a.last_id, a.at, a.last_id, a.at
        ),
        Some(AnchorCheck::Missing) | None => println!(
            "审计链完整：共 {n} 个事件；没有锚点文件 {}，无法发现被截掉的末尾事件 / the audit chain \
             is intact: {n} events; there is no anchor file {}, so a cut tail could not be seen",
            anchor.display(),
            anchor.display()
        ),
    }
    Ok(ExitCode::SUCCESS)
}
