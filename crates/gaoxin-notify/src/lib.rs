//! Reminders beyond the app. Every inbox message is also queued (in `gaoxin_store`'s outbox) for
//! the accounts' e-mail addresses and their units' group-robot webhooks; [`deliver`] sends what
//! is due: e-mail over plain SMTP to the intranet's mail relay, and webhooks as the JSON text
//! message the common workplace-messaging group robots accept
//! (`{"msgtype":"text","text":{"content":…}}`: 企业微信, 钉钉 and others of the same form).
//!
//! Both are written on a bare TCP connection with no library: a government intranet has a relay
//! on port 25 and robots reached over plain HTTP or through its own TLS gateway. `https://`
//! webhooks and SMTP with TLS or authentication are not spoken (said when configured).

use gaoxin_core::time::Timestamp;
use gaoxin_store::{Outgoing, Store, StoreError};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The mail relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Smtp {
    /// `host:port`, e.g. `mail.gov.example:25`.
    pub addr: String,
    /// The sender address.
    pub from: String,
}

/// How the server sends.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub smtp: Option<Smtp>,
    /// The address people open gaoxin at, put before each message's link (e.g.
    /// `http://gaoxin.intranet`); without it the link is a path.
    pub base_url: Option<String>,
}

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    pub sent: usize,
    pub failed: usize,
}

const TIMEOUT: Duration = Duration::from_secs(20);

/// Whether `s` is an address we send to (the rule is core's, shared with the account page).
pub use gaoxin_core::notices::valid_email;

/// Whether `s` is a webhook URL we post to: `http://host[:port]/path`.
pub fn valid_webhook(s: &str) -> bool {
    parse_http(s).is_some()
}

fn parse_http(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("http://")?;
    if rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || host.contains('@') {
        return None;
    }
    let host = if host.contains(':') {
        host.to_string()
    } else {
        format!("{host}:80")
    };
    Some((host, path.to_string()))
}

/// Base64 of `bytes` (RFC 4648, with padding).
pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn link(cfg: &Config, m: &Outgoing) -> String {
    match &cfg.base_url {
        Some(base) => format!("{}{}", base.trim_end_matches('/'), m.link),
        None => m.link.clone(),
    }
}

/// The text every channel carries.
fn text(cfg: &Config, m: &Outgoing) -> String {
    format!("【gaoxin】{}\n{}\n{}", m.subject, m.body, link(cfg, m))
}

/// The JSON a group robot takes.
pub fn webhook_json(content: &str) -> String {
    serde_json::json!({ "msgtype": "text", "text": { "content": content } }).to_string()
}

/// An e-mail in UTF-8, base64 throughout (no header injection, no 8-bit trouble).
pub fn email_message(from: &str, to: &str, subject: &str, body: &str, at: Timestamp) -> String {
    let (y, mo, d) = at.civil_date();
    let iso = at.to_string();
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS
        .get((mo as usize).saturating_sub(1))
        .unwrap_or(&"Jan");
    let encoded: Vec<String> = base64(body.as_bytes())
        .as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    format!(
        "From: <{from}>\r\nTo: <{to}>\r\nSubject: =?UTF-8?B?{}?=\r\nDate: {d} {month} {y} {} +0800\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        base64(subject.as_bytes()),
        iso.get(11..19).unwrap_or("00:00:00"),
        encoded.join("\r\n")
    )
}

async fn reply(r: &mut BufReader<TcpStream>, expect: &[u16]) -> Result<(), String> {
    loop {
        let mut line = String::new();
        let n = r.read_line(&mut line).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the mail server closed the connection".into());
        }
        let code: u16 = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
        // "250-…" continues; "250 …" ends the reply.
        if line.as_bytes().get(3) == Some(&b'-') {
            continue;
        }
        return if expect.contains(&code) {
            Ok(())
        } else {
            Err(format!("mail server: {}", line.trim_end()))
        };
    }
}

async fn send(r: &mut BufReader<TcpStream>, line: &str, expect: &[u16]) -> Result<(), String> {
    r.get_mut()
        .write_all(format!("{line}\r\n").as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    reply(r, expect).await
}

/// Sends one e-mail through the relay.
pub async fn send_email(smtp: &Smtp, to: &str, message: &str) -> Result<(), String> {
    if !valid_email(to) || !valid_email(&smtp.from) {
        return Err(format!("not an e-mail address: {to}"));
    }
    let talk = async {
        let stream = TcpStream::connect(&smtp.addr)
            .await
            .map_err(|e| format!("cannot reach the mail server {}: {e}", smtp.addr))?;
        let mut r = BufReader::new(stream);
        reply(&mut r, &[220]).await?;
        send(&mut r, "EHLO gaoxin", &[250]).await?;
        send(&mut r, &format!("MAIL FROM:<{}>", smtp.from), &[250]).await?;
        send(&mut r, &format!("RCPT TO:<{to}>"), &[250, 251]).await?;
        send(&mut r, "DATA", &[354]).await?;
        // Dot-stuffing: a line starting with '.' gets another.
        let data = message.replace("\r\n.", "\r\n..");
        send(&mut r, &format!("{data}\r\n."), &[250]).await?;
        let _ = send(&mut r, "QUIT", &[221]).await;
        Ok::<(), String>(())
    };
    tokio::time::timeout(TIMEOUT, talk)
        .await
        .map_err(|_| "the mail server did not answer in time".to_string())?
}

/// Posts `json` to a robot's webhook; a 2xx answer whose `errcode`, if any, is 0 is success.
pub async fn post_webhook(url: &str, json: &str) -> Result<(), String> {
    let Some((host, path)) = parse_http(url) else {
        return Err(format!("not an http:// webhook address: {url}"));
    };
    let talk = async {
        let mut stream = TcpStream::connect(&host)
            .await
            .map_err(|e| format!("cannot reach {host}: {e}"))?;
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json; charset=utf-8\r\n\
             Content-Length: {}\r\nConnection: close\r\nUser-Agent: gaoxin\r\n\r\n{json}",
            json.len()
        );
        stream
            .write_all(request.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        let mut answer = Vec::new();
        stream
            .take(64 * 1024)
            .read_to_end(&mut answer)
            .await
            .map_err(|e| e.to_string())?;
        let answer = String::from_utf8_lossy(&answer);
        let status: u16 = answer
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or("");
        let errcode = serde_json::from_str::<serde_json::Value>(body.trim())
            .ok()
            .and_then(|v| v.get("errcode").and_then(serde_json::Value::as_i64));
        match (status, errcode) {
            (200..=299, None | Some(0)) => Ok(()),
            (200..=299, Some(code)) => {
                Err(format!("the robot refused the message: errcode {code}"))
            }
            _ => Err(format!("the webhook answered HTTP {status}")),
        }
    };
    tokio::time::timeout(TIMEOUT, talk)
        .await
        .map_err(|_| "the webhook did not answer in time".to_string())?
}

/// Sends what is due in the outbox and records each outcome.
pub async fn deliver(store: &Store, cfg: &Config, now: Timestamp) -> Result<Report, StoreError> {
    let mut report = Report::default();
    for m in store.outbox_due(now, 100).await? {
        let content = text(cfg, &m);
        let result = match (m.channel.as_str(), &cfg.smtp) {
            ("email", Some(smtp)) => {
                let message = email_message(&smtp.from, &m.target, &m.subject, &content, now);
                send_email(smtp, &m.target, &message).await
            }
            ("email", None) => Err("no mail server is configured (gaoxin serve --smtp)".into()),
            ("webhook", _) => post_webhook(&m.target, &webhook_json(&content)).await,
            (other, _) => Err(format!("unknown channel {other}")),
        };
        if let Err(e) = &result {
            tracing::warn!(channel = %m.channel, target = %m.target, error = %e, "reminder not sent");
            report.failed += 1;
        } else {
            report.sent += 1;
        }
        store.outbox_result(m.id, result, now).await?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
        assert_eq!(base64("督办".as_bytes()), "552j5Yqe");
    }

    #[test]
    fn addresses_are_checked() {
        assert!(valid_email("keji@sjz.gov.cn"));
        for bad in [
            "keji",
            "a@b",
            "a b@c.cn",
            "a@b.cn\r\nBcc: x@y.cn",
            "<a@b.cn>",
            "a@b@c.cn",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
        assert_eq!(
            parse_http("http://10.0.0.5:8080/robot/send?key=x"),
            Some(("10.0.0.5:8080".into(), "/robot/send?key=x".into()))
        );
        assert_eq!(
            parse_http("http://bot.intranet"),
            Some(("bot.intranet:80".into(), "/".into()))
        );
        assert!(!valid_webhook(
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
        ));
        assert!(!valid_webhook("http://a b/"));
    }

    #[test]
    fn an_email_is_encoded_whole() {
        let m = email_message(
            "gaoxin@sjz.gov.cn",
            "keji@sjz.gov.cn",
            "督办〔2026〕1号\r\nBcc: x@y",
            "正文",
            Timestamp::from_civil(2026, 11, 28, 36_000),
        );
        assert!(m.contains("Subject: =?UTF-8?B?"));
        assert!(!m.contains("Bcc"), "the subject cannot add headers");
        assert!(m.contains("Date: 28 Nov 2026 10:00:00 +0800"));
        assert!(m.contains(&base64("正文".as_bytes())));
        assert_eq!(
            webhook_json("a\"b"),
            r#"{"msgtype":"text","text":{"content":"a\"b"}}"#
        );
    }
}
