//! 对标分析 on both backends: framework versions, peer values with their lineage, published
//! ranks, and the analysis the page and `gaoxin benchmark` read — over a peer set whose ranks are
//! known by hand.

use crate::support::{SEED, SEED_NAME, TestDb, each_backend};
use gaoxin_app::Acting;
use gaoxin_app::benchmarking::{Missing, Query, analyse};
use gaoxin_core::benchmarking::Method;
use gaoxin_core::benchmarking::formula::Enterprise;
use gaoxin_core::time::Timestamp;
use gaoxin_store::{SamplePeers, Store, StoreError};

const T0: Timestamp = Timestamp(1_795_800_000);
const NATIONAL: &str = include_str!("../../../../plans/evaluations/national-2024.toml");
const PROVINCE: &str = include_str!("../../../../plans/evaluations/hebei-provincial.toml");

#[tokio::test]
async fn frameworks_peers_and_the_estimate() {
    each_backend(|store: Store, db: TestDb| async move {
        store.load_plan(SEED_NAME, SEED, T0).await.unwrap();
        let plan = store.current_plan().await.unwrap().unwrap().plan;
        let act = Acting::console(&store, &plan, T0);
        let query = |framework: &str, what_if: Vec<(String, f64)>| Query {
            zone: "sjz-hz".into(),
            framework: Some(framework.into()),
            data_year: None,
            method: Method::MinMax,
            what_if,
        };

        // Not loaded yet.
        let missing = analyse(&act, &query("national-2024", vec![]))
            .await
            .unwrap();
        assert_eq!(
            missing.err(),
            Some(Missing::NoFramework("national-2024".into()))
        );

        // Versions: the same bytes twice change nothing; a changed file is version 2; a broken
        // one is refused with its errors placed.
        let v1 = store
            .load_framework("n.toml", NATIONAL, None, T0)
            .await
            .unwrap();
        assert_eq!(v1.map(|v| v.version_no), Some(1));
        assert!(
            store
                .load_framework("n.toml", NATIONAL, None, T0)
                .await
                .unwrap()
                .is_none()
        );
        let edited = NATIONAL.replacen("weight = 1\n", "weight = 1.1\n", 1);
        let v2 = store
            .load_framework("n.toml", &edited, None, T0)
            .await
            .unwrap();
        assert_eq!(v2.map(|v| v.version_no), Some(2));
        let broken = NATIONAL.replacen("direction = \"higher\"", "direction = \"up\"", 1);
        match store.load_framework("bad.toml", &broken, None, T0).await {
            Err(StoreError::InvalidFramework(e)) => assert!(e.errors[0].line > 0),
            other => panic!("{other:?}"),
        }
        store
            .load_framework("p.toml", PROVINCE, None, T0)
            .await
            .unwrap();
        let frameworks = store.frameworks().await.unwrap();
        assert_eq!(frameworks.len(), 2);
        let national = frameworks
            .iter()
            .find(|f| f.framework.id == "national-2024")
            .unwrap();
        assert_eq!(national.version.version_no, 2);
        assert_eq!(store.framework_versions().await.unwrap().len(), 3);

        // Nothing entered yet.
        let none = analyse(&act, &query("national-2024", vec![]))
            .await
            .unwrap();
        assert_eq!(none.err(), Some(Missing::NoValues));
        // The provincial framework lists no indicator.
        let province = Query {
            zone: "zd-hz".into(),
            framework: None,
            ..query("x", vec![])
        };
        let empty = analyse(&act, &province).await.unwrap();
        assert_eq!(
            empty.err(),
            Some(Missing::FrameworkEmpty("hebei-provincial".into()))
        );

        // Three zones, four indicators; the plan's zone in the middle on every one.
        let ids = [
            "value-added-city-share",
            "manufacturing-services-share",
            "manufacturing-va-rate",
            "revenue-net-increase",
        ];
        let rows = [
            [20.0, 60.0, 25.0, 100.0],
            [10.0, 50.0, 20.0, 50.0],
            [30.0, 70.0, 30.0, 150.0],
        ];
        let mut values = Vec::new();
        for (z, row) in rows.iter().enumerate() {
            for (id, v) in ids.iter().zip(row) {
                values.push(("national-2024".to_string(), 2025, z, id.to_string(), *v));
            }
        }
        let sample = SamplePeers {
            peer_set: "national".into(),
            zones: vec![
                ("sjz".into(), Some("sjz-hz".into())),
                ("a".into(), None),
                ("b".into(), None),
            ],
            values,
            ranks: vec![
                ("national-2024".into(), 2026, 2, 1),
                ("national-2024".into(), 2026, 0, 2),
                ("national-2024".into(), 2026, 1, 3),
            ],
            source: "test".into(),
        };
        assert_eq!(store.load_sample_peers(&sample, T0).await.unwrap(), 12);
        assert_eq!(
            store.load_sample_peers(&sample, T0).await.unwrap(),
            0,
            "loaded once"
        );
        assert!(store.has_sample_peers().await.unwrap());

        let a = analyse(&act, &query("national-2024", vec![]))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((a.data_year, a.result_year), (2025, 2026));
        assert_eq!((a.rank, a.peers), (2, 3));
        assert!((a.composite - 50.0).abs() < 1e-9, "{}", a.composite);
        assert!(a.sample);
        assert_eq!(a.target, Some(20));
        assert!(
            a.path
                .as_ref()
                .is_some_and(|p| p.reached && p.steps.is_empty())
        );
        // Published 2026 ranks against the 2025 data: the same order.
        let (year, c) = a.calibration.unwrap();
        assert_eq!((year, c.zones, c.max_abs_error), (2026, 3, 0));

        // What-if: the zone above the best on everything is first; nothing is written.
        let best: Vec<(String, f64)> = ids.iter().map(|id| (id.to_string(), 1000.0)).collect();
        let w = analyse(&act, &query("national-2024", best))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(w.rank, 1);
        assert_eq!(w.what_if.len(), 4);
        let again = analyse(&act, &query("national-2024", vec![]))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(again.rank, 2);

        // A real workbook is not mixed into the sample set: refused, nothing changed.
        let row = |zone: &str| gaoxin_core::benchmarking::sheet::PeerRow {
            line: 3,
            zone: zone.into(),
            source: "2025 年统计年鉴".into(),
            values: vec![(ids[0].into(), 40.0)],
            rank: None,
            dimension_ranks: Vec::new(),
            item_ranks: Vec::new(),
        };
        let plan_zones = [("石家庄高新区".to_string(), "sjz-hz".to_string())];
        let rows = vec![row("sjz")];
        let refused = store
            .import_peers(
                &gaoxin_store::PeerImport {
                    framework: "national-2024",
                    peer_set: "national",
                    data_year: 2025,
                    plan_zones: &plan_zones,
                    rows: &rows,
                    file: ("peers.xlsx", "hash"),
                },
                None,
                T0,
            )
            .await;
        assert!(
            matches!(refused, Err(StoreError::SamplePeerSet { .. })),
            "{refused:?}"
        );
        let unchanged = store
            .peer_values("national", "national-2024", 2025)
            .await
            .unwrap();
        assert_eq!(unchanged.len(), 12);
        assert!(unchanged.iter().all(|v| v.sample && v.value != 40.0));

        // Entered values, into a set of real data, carry who entered them and where from.
        let rows = vec![row("石家庄高新区")];
        store
            .import_peers(
                &gaoxin_store::PeerImport {
                    framework: "national-2024",
                    peer_set: "entered",
                    data_year: 2025,
                    plan_zones: &plan_zones,
                    rows: &rows,
                    file: ("peers.xlsx", "hash"),
                },
                None,
                T0,
            )
            .await
            .unwrap();
        let read = store
            .peer_values("entered", "national-2024", 2025)
            .await
            .unwrap();
        assert_eq!(read.len(), 1);
        let mine = &read[0];
        assert_eq!(
            (mine.value, mine.source.as_str(), mine.sample),
            (40.0, "2025 年统计年鉴", false)
        );
        assert!(mine.entered_by.starts_with("console:"));
        let entered = store.peer_zones("entered").await.unwrap();
        assert_eq!(
            entered[0].zone.as_deref(),
            Some("sjz-hz"),
            "the plan's zone by its name"
        );
        assert_eq!(
            store
                .official_ranks("national", "national-2024", 2026)
                .await
                .unwrap()
                .len(),
            3
        );
        assert_eq!(
            store.peer_years("national", "national-2024").await.unwrap(),
            vec![2025]
        );
        db
    })
    .await;
}

#[tokio::test]
async fn the_zone_s_values_come_from_its_enterprises_reports_with_their_lineage() {
    each_backend(|store: Store, db: TestDb| async move {
        store.load_plan(SEED_NAME, SEED, T0).await.unwrap();
        let plan = store.current_plan().await.unwrap().unwrap().plan;
        let source = include_str!("../../../../plans/evaluations/national-2021.toml");
        store.load_framework("n21", source, None, T0).await.unwrap();
        let framework = gaoxin_core::benchmarking::Framework::parse("n21", source).unwrap();
        // Sample ledgers: enterprises, certificates, their annual reports for 2024 and 2025.
        let sets = gaoxin_core::ledger::sample::generate(&plan);
        store.load_sample_ledgers(&plan, &sets, T0).await.unwrap();
        // A small peer set for the framework, the plan's zone first.
        crate::support::load_sample_peers(&store, &framework, 12, 3).await;

        let act = Acting::console(&store, &plan, T0);
        let q = Query {
            zone: "sjz-hz".into(),
            framework: None,
            data_year: Some(2025),
            method: Method::MinMax,
            what_if: Vec::new(),
        };
        let a = analyse(&act, &q).await.unwrap().unwrap();

        // What the reports say, computed here from the generated records of the zone.
        let ledger = gaoxin_core::ledger::Ledger::find("enterprise-stats").unwrap();
        let in_zone: std::collections::HashSet<String> = sets[0]
            .1
            .iter()
            .filter(|r| r.get(sets[0].0, "unit") == "sjz-hz")
            .map(|r| r.get(sets[0].0, "uscc").to_string())
            .collect();
        let reports: Vec<Enterprise> = sets
            .iter()
            .find(|(l, _)| l.id == "enterprise-stats")
            .unwrap()
            .1
            .iter()
            .filter(|r| in_zone.contains(r.get(ledger, "uscc")))
            .filter_map(|r| Enterprise::of(ledger, r))
            .collect();
        let (now, before): (Vec<Enterprise>, Vec<Enterprise>) =
            reports.into_iter().partition(|e| e.year == 2025);
        assert_eq!(now.len(), 60);
        for id in [
            "rd-intensity",
            "revenue-net-increase",
            "rd5-large",
            "profit-margin",
        ] {
            let j = framework.indicator(id).unwrap();
            let expected = gaoxin_core::benchmarking::formula::compute(id, &now, &before)
                .unwrap()
                .value;
            let got = a.positions[j].value.unwrap();
            assert!((got - expected).abs() < 1e-6, "{id}: {got} vs {expected}");
            let (source, by, _) = a.lineage[j].clone().unwrap();
            assert_eq!(source, "由企业年度统计台账计算（60 家企业）");
            assert_eq!(by, "gaoxin");
            assert!(a.computed[j].is_some());
        }
        // 当年净增高新技术企业数 from the certificates in force at the two year ends.
        let hitech = framework.indicator("hitech-net-increase").unwrap();
        assert!(
            a.lineage[hitech]
                .as_ref()
                .unwrap()
                .0
                .starts_with("由企业资质台账计算")
        );
        // An indicator with no formula keeps the stored value and its source.
        let listed = framework.indicator("listed").unwrap();
        assert_eq!(a.lineage[listed].as_ref().unwrap().0, "sample");
        // The 补强 steps of computed ratios say what they take; the movers are named.
        let rd = framework.indicator("rd-intensity").unwrap();
        let k = a.strengthen.iter().position(|s| s.indicator == rd).unwrap();
        let terms = a.step_terms[k].clone().unwrap();
        assert!(terms.zh.starts_with("R&D 经费内部支出增加约"), "{terms:?}");
        let json = a.json();
        assert_eq!(json["indicators"][rd]["computed_from_ledgers"], true);
        db
    })
    .await;
}

#[tokio::test]
async fn an_enterprise_s_profile_names_the_indicators_it_moves() {
    each_backend(|store: Store, db: TestDb| async move {
        store.load_plan(SEED_NAME, SEED, T0).await.unwrap();
        let plan = store.current_plan().await.unwrap().unwrap().plan;
        let source = include_str!("../../../../plans/evaluations/national-2021.toml");
        let act = Acting::console(&store, &plan, T0);
        let sets = gaoxin_core::ledger::sample::generate(&plan);
        store.load_sample_ledgers(&plan, &sets, T0).await.unwrap();
        // The framework not loaded yet: nothing to say.
        let stats = gaoxin_core::ledger::Ledger::find("enterprise-stats").unwrap();
        let reports: Vec<Enterprise> = sets
            .iter()
            .find(|(l, _)| l.id == "enterprise-stats")
            .unwrap()
            .1
            .iter()
            .filter_map(|r| Enterprise::of(stats, r))
            .collect();
        let first = reports[0].uscc.clone();
        assert!(
            gaoxin_app::benchmarking::contribution(&act, &first, "sjz-hz")
                .await
                .unwrap()
                .is_none()
        );
        store.load_framework("n21", source, None, T0).await.unwrap();
        let framework = gaoxin_core::benchmarking::Framework::parse("n21", source).unwrap();
        // The zone's 2025 reports, as the analysis reads them; the largest R&D contributor.
        let units = gaoxin_core::ledger::subtree(&plan, "sjz-hz");
        let enterprises = sets[0].0;
        let in_zone: std::collections::HashSet<String> = sets[0]
            .1
            .iter()
            .filter(|r| units.iter().any(|u| u == r.get(enterprises, "unit")))
            .map(|r| r.get(enterprises, "uscc").to_string())
            .collect();
        let now: Vec<Enterprise> = reports
            .iter()
            .filter(|e| e.year == 2025 && in_zone.contains(&e.uscc))
            .cloned()
            .collect();
        let movers = gaoxin_core::benchmarking::formula::movers("rd-intensity", &now);
        let top = movers
            .iter()
            .find(|m| m.kind == gaoxin_core::benchmarking::formula::MoverKind::Contributor)
            .unwrap();
        let c = gaoxin_app::benchmarking::contribution(&act, &top.uscc, "sjz-hz")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.data_year, 2025);
        assert_eq!(c.zone_href.as_deref(), Some("/benchmarking/sjz-hz"));
        let rd = &framework.indicators[framework.indicator("rd-intensity").unwrap()].name;
        let line = c
            .lines
            .iter()
            .find(|(i, _)| i == rd)
            .unwrap_or_else(|| panic!("{rd} in {:?}", c.lines));
        assert_eq!(
            line.1.zh,
            format!("{}：贡献全区分子的 {:.1}%", top.name, top.amount)
        );
        // An enterprise no indicator's movers name: said so, no line.
        let every: Vec<String> = framework
            .indicators
            .iter()
            .filter_map(|i| i.formula.as_deref())
            .flat_map(|f| gaoxin_core::benchmarking::formula::movers(f, &now))
            .map(|m| m.uscc)
            .collect();
        let quiet = now.iter().find(|e| !every.contains(&e.uscc)).unwrap();
        let c = gaoxin_app::benchmarking::contribution(&act, &quiet.uscc, "sjz-hz")
            .await
            .unwrap()
            .unwrap();
        assert!(c.lines.is_empty(), "{:?}", c.lines);
        // A unit no framework judges: nothing.
        assert!(
            gaoxin_app::benchmarking::contribution(&act, &first, "sjz")
                .await
                .unwrap()
                .is_none()
        );
        db
    })
    .await;
}
