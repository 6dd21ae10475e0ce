//! Reminders beyond the app, on SQLite and PostgreSQL: an order's notice queued for the
//! account's e-mail and its unit's group robot, sent to a local SMTP receiver and a local HTTP
//! receiver on 127.0.0.1, a refused webhook retried later, and e-mail without a mail server
//! failing with the reason kept.

use crate::support::{SEED, SEED_NAME, each_backend};
use gaoxin_core::Plan;
use gaoxin_core::auth::RoleKind;
use gaoxin_core::supervise::{Request, Subject};
use gaoxin_core::time::{Date, Timestamp};
use gaoxin_notify::{Config, Smtp, base64, deliver};
use gaoxin_store::NewOrder;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

fn t0() -> Timestamp {
    Timestamp::from_civil(2026, 12, 1, 36_000)
}

/// A mail server that accepts everything and keeps each message's transcript.
async fn smtp_receiver() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let got = Arc::new(Mutex::new(Vec::new()));
    let keep = got.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let keep = keep.clone();
            tokio::spawn(async move {
                let mut r = BufReader::new(stream);
                let mut transcript = String::new();
                r.get_mut().write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut in_data = false;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        break;
                    }
                    transcript.push_str(&line);
                    let answer: &[u8] = if in_data {
                        if line == ".\r\n" {
                            in_data = false;
                            b"250 queued\r\n"
                        } else {
                            continue;
                        }
                    } else if line.starts_with("EHLO") {
                        b"250-test\r\n250 8BITMIME\r\n"
                    } else if line.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if line.starts_with("QUIT") {
                        r.get_mut().write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    r.get_mut().write_all(answer).await.unwrap();
                }
                keep.lock().unwrap().push(transcript);
            });
        }
    });
    (addr, got)
}

/// An HTTP server answering each POST with the next status of `statuses` (then 200), keeping
/// the bodies.
async fn http_receiver(statuses: Vec<u16>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let got = Arc::new(Mutex::new(Vec::new()));
    let keep = got.clone();
    tokio::spawn(async move {
        let mut statuses = statuses.into_iter();
        while let Ok((stream, _)) = listener.accept().await {
            let status = statuses.next().unwrap_or(200);
            let mut r = BufReader::new(stream);
            let mut length = 0;
            loop {
                let mut line = String::new();
                r.read_line(&mut line).await.unwrap();
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            r.read_exact(&mut body).await.unwrap();
            keep.lock().unwrap().push(String::from_utf8(body).unwrap());
            let reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n{{\"errcode\":0,\"errmsg\":\"ok\"}}"
            );
            r.get_mut().write_all(reply.as_bytes()).await.unwrap();
        }
    });
    (addr, got)
}

#[tokio::test]
async fn notices_reach_e_mail_and_group_robots() {
    each_backend(|store, db| async move {
        store.load_plan(SEED_NAME, SEED, t0()).await.unwrap();
        let plan = Plan::parse(SEED_NAME, SEED).unwrap();
        let d = crate::support::account_at(&store, "disp", "dispatch", RoleKind::Dispatcher, t0())
            .await;
        crate::support::account_at(&store, "keji", "sci-tech", RoleKind::Reporter, t0()).await;
        crate::support::account_at(&store, "keji2", "sci-tech", RoleKind::Reviewer, t0()).await;
        store
            .set_account_email("keji", Some("keji@sjz.gov.cn"))
            .await
            .unwrap();
        assert!(
            store
                .set_account_email("nobody", Some("x@y.cn"))
                .await
                .is_err()
        );
        let (smtp, mails) = smtp_receiver().await;
        // The robot refuses the first post, takes the second.
        let (http, posts) = http_receiver(vec![500]).await;
        store
            .set_unit_webhook(
                "sci-tech",
                Some(&format!("http://{http}/cgi-bin/webhook/send?key=k")),
            )
            .await
            .unwrap();
        let new = NewOrder {
            title: "对接活动场次不足".into(),
            subject: Subject::Task { task: "t6".into() },
            basis: "b".into(),
            assign: Some(Request {
                assignee: Some("sci-tech".into()),
                deadline: Some(Date::parse("2026-12-10").unwrap()),
                note: "请报送计划。".into(),
                co_units: Vec::new(),
            }),
        };
        store.order_open(&plan, &d, &new, t0()).await.unwrap();
        // One e-mail (the account with an address) and one robot message for the unit.
        let queued = store.outbox(10).await.unwrap();
        let mut channels: Vec<&str> = queued.iter().map(|m| m.channel.as_str()).collect();
        channels.sort();
        assert_eq!(channels, ["email", "webhook"]);

        let cfg = Config {
            smtp: Some(Smtp {
                addr: smtp,
                from: "gaoxin@sjz.gov.cn".into(),
            }),
            base_url: Some("http://gaoxin.intranet/".into()),
        };
        let r = deliver(&store, &cfg, t0()).await.unwrap();
        assert_eq!((r.sent, r.failed), (1, 1));
        let mails = mails.lock().unwrap().clone();
        assert_eq!(mails.len(), 1);
        let m = &mails[0];
        assert!(m.contains("MAIL FROM:<gaoxin@sjz.gov.cn>"));
        assert!(m.contains("RCPT TO:<keji@sjz.gov.cn>"));
        let subject = queued
            .iter()
            .find(|q| q.channel == "email")
            .unwrap()
            .subject
            .clone();
        assert!(subject.contains("对接活动场次不足"));
        assert!(m.contains(&format!(
            "Subject: =?UTF-8?B?{}?=",
            base64(subject.as_bytes())
        )));
        // The robot's refusal is kept, and it is not tried again before its time.
        let failed = store
            .outbox(10)
            .await
            .unwrap()
            .into_iter()
            .find(|q| q.channel == "webhook")
            .unwrap();
        assert_eq!(failed.attempts, 1);
        assert!(failed.last_error.unwrap().contains("HTTP 500"));
        assert_eq!(
            deliver(&store, &cfg, Timestamp(t0().0 + 30))
                .await
                .unwrap()
                .sent,
            0
        );
        let r = deliver(&store, &cfg, Timestamp(t0().0 + 61)).await.unwrap();
        assert_eq!((r.sent, r.failed), (1, 0));
        let posts = posts.lock().unwrap().clone();
        assert_eq!(posts.len(), 2);
        let json: serde_json::Value = serde_json::from_str(&posts[1]).unwrap();
        assert_eq!(json["msgtype"], "text");
        let content = json["text"]["content"].as_str().unwrap();
        assert!(content.contains("对接活动场次不足"), "{content}");
        assert!(
            content.contains("http://gaoxin.intranet/supervision/"),
            "{content}"
        );
        assert!(
            store
                .outbox(10)
                .await
                .unwrap()
                .iter()
                .all(|q| q.sent_at.is_some())
        );

        // Without a mail server an e-mail fails and says why; the robot still gets its post.
        store
            .order_open(&plan, &d, &new, Timestamp(t0().0 + 100))
            .await
            .unwrap();
        let r = deliver(&store, &Config::default(), Timestamp(t0().0 + 200))
            .await
            .unwrap();
        assert_eq!((r.sent, r.failed), (1, 1));
        let mail = store
            .outbox(10)
            .await
            .unwrap()
            .into_iter()
            .find(|q| q.channel == "email" && q.sent_at.is_none())
            .unwrap();
        assert!(mail.last_error.unwrap().contains("no mail server"));
        db
    })
    .await;
}

#[tokio::test]
async fn each_person_chooses_which_notices_follow_them_by_e_mail() {
    each_backend(|store, db| async move {
        store.load_plan(SEED_NAME, SEED, t0()).await.unwrap();
        let plan = Plan::parse(SEED_NAME, SEED).unwrap();
        let key = gaoxin_store::AuditKey::from_bytes(b"test audit key, 32 bytes long!!!".to_vec());
        let d = crate::support::account_at(&store, "disp", "dispatch", RoleKind::Dispatcher, t0())
            .await;
        let u =
            crate::support::account_at(&store, "keji", "sci-tech", RoleKind::Reporter, t0()).await;
        let actor = gaoxin_store::Actor::of(&u, "127.0.0.1");
        use gaoxin_core::notices::EmailChoice;
        // A bad address is refused and nothing changes.
        assert!(matches!(
            store
                .set_email_notices(
                    &key,
                    &actor,
                    "keji",
                    Some("keji at sjz"),
                    EmailChoice::All,
                    t0()
                )
                .await,
            Err(gaoxin_store::StoreError::InvalidEmail { .. })
        ));
        let a = store
            .set_email_notices(
                &key,
                &actor,
                "keji",
                Some(" keji@sjz.gov.cn "),
                EmailChoice::Urgent,
                t0(),
            )
            .await
            .unwrap();
        assert_eq!(a.email.as_deref(), Some("keji@sjz.gov.cn"));
        assert_eq!(a.email_notices, EmailChoice::Urgent);
        let emails = || {
            let store = store.clone();
            async move {
                store
                    .outbox(50)
                    .await
                    .unwrap()
                    .into_iter()
                    .filter(|m| m.channel == "email")
                    .count()
            }
        };
        // A new order is urgent: e-mailed. Its closing is not: inbox only.
        let new = NewOrder {
            title: "对接活动场次不足".into(),
            subject: Subject::Task { task: "t6".into() },
            basis: "b".into(),
            assign: Some(Request {
                assignee: Some("sci-tech".into()),
                deadline: Some(Date::parse("2026-12-10").unwrap()),
                note: "请报送计划。".into(),
                co_units: Vec::new(),
            }),
        };
        let id = store.order_open(&plan, &d, &new, t0()).await.unwrap();
        assert_eq!(emails().await, 1);
        let step = |who: gaoxin_store::Account, action, note: &'static str| {
            let store = store.clone();
            let plan = plan.clone();
            async move {
                let v = store.order(id).await.unwrap().unwrap().version;
                store
                    .order_step(
                        &gaoxin_store::Act::of(&plan, &who, t0()),
                        id,
                        v,
                        action,
                        &Request {
                            note: note.into(),
                            ..Request::default()
                        },
                    )
                    .await
                    .unwrap();
            }
        };
        use gaoxin_core::supervise::Action;
        step(u.clone(), Action::Sign, "").await;
        step(u.clone(), Action::Answer, "已办").await;
        step(d.clone(), Action::Review, "").await;
        step(d.clone(), Action::Close, "").await;
        assert_eq!(emails().await, 1, "closing is not urgent");
        let inbox = store.inbox(u.id, 10).await.unwrap();
        assert!(
            inbox.iter().any(|m| m.notice == "closed"),
            "the inbox has it all"
        );
        // Nothing by e-mail once the person says so; everything with "all".
        store
            .set_email_notices(
                &key,
                &actor,
                "keji",
                Some("keji@sjz.gov.cn"),
                EmailChoice::None,
                t0(),
            )
            .await
            .unwrap();
        store.order_open(&plan, &d, &new, t0()).await.unwrap();
        assert_eq!(emails().await, 1);
        store
            .set_email_notices(
                &key,
                &actor,
                "keji",
                Some("keji@sjz.gov.cn"),
                EmailChoice::All,
                t0(),
            )
            .await
            .unwrap();
        store.order_open(&plan, &d, &new, t0()).await.unwrap();
        assert_eq!(emails().await, 2);
        db
    })
    .await;
}
