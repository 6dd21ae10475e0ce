//! `gaoxin evaluation` (framework files: check, load, list) and `gaoxin benchmark` (a zone's
//! standing under its evaluation, estimated), and the generated peer set `serve --demo` adds.

use crate::data::{
    DataArgs, Format, csv_line, current_plan, open, open_seeded, read_text, zone_id,
};
use anyhow::{Result, bail};
use gaoxin_app::benchmarking::Query;
use gaoxin_core::benchmarking::{self, Framework, Method, Model, sample};
use gaoxin_core::plan::format_rounded;
use gaoxin_core::text::Message;
use gaoxin_store::{SamplePeers, Store};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// `gaoxin evaluation check FILE…`: every error of every file; exit status 1 on any.
pub fn check(files: &[PathBuf]) -> Result<ExitCode> {
    let mut failed = false;
    for file in files {
        let source = read_text(file)?;
        match Framework::parse(&file.display().to_string(), &source) {
            Ok(f) => println!(
                "{}：评价框架 {}，{} 个维度、{} 个指标，校验通过 / {}: framework {}, {} dimension(s), {} indicator(s): valid",
                file.display(),
                f.id,
                f.dimensions.len(),
                f.indicators.len(),
                file.display(),
                f.id,
                f.dimensions.len(),
                f.indicators.len()
            ),
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `gaoxin evaluation load FILE`: the next version of its framework.
pub async fn load(file: &std::path::Path, data: &DataArgs) -> Result<ExitCode> {
    let source = read_text(file)?;
    let name = file.display().to_string();
    let loaded = open_seeded(data, true)
        .await?
        .run(async |store| {
            Ok(store
                .load_framework(&name, &source, None, gaoxin_store::now())
                .await?)
        })
        .await?;
    match loaded {
        Some(v) => println!(
            "已载入评价框架 {} 第 {} 版 / loaded framework {} as version {}",
            v.framework, v.version_no, v.framework, v.version_no
        ),
        None => println!("该文件已载入过，未作改变 / this file was loaded before: nothing changed"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `gaoxin evaluation list`: every version of every framework.
pub async fn list(data: &DataArgs) -> Result<ExitCode> {
    let versions = open(data)
        .await?
        .run(async |store| Ok(store.framework_versions().await?))
        .await?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}",
        csv_line(&[
            "framework",
            "version",
            "sha256",
            "file",
            "loaded_by",
            "loaded_at"
        ])
    )?;
    for v in versions {
        writeln!(
            out,
            "{}",
            csv_line(&[
                &v.framework,
                &v.version_no.to_string(),
                &v.content_sha256,
                &v.source_name,
                &v.loaded_by,
                &v.loaded_at.to_iso8601(),
            ])
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `gaoxin benchmark`: one row per indicator (CSV) or the whole analysis (JSON).
pub async fn report(
    data: &DataArgs,
    zone: &str,
    framework: Option<String>,
    year: Option<i32>,
    method: &str,
    format: Format,
) -> Result<ExitCode> {
    let Some(method) = Method::from_id(method) else {
        bail!(
            "没有打分方法“{method}”，可用：min-max、benchmark、z-score / no method \"{method}\": use min-max, benchmark or z-score"
        );
    };
    let analysis = open(data)
        .await?
        .run(async |store| {
            let plan = current_plan(store).await?;
            let z = zone_id(&plan, zone)?;
            let act = gaoxin_app::Acting::console(store, &plan, gaoxin_store::now());
            let q = Query {
                zone: z,
                framework,
                data_year: year,
                method,
                what_if: Vec::new(),
            };
            Ok(gaoxin_app::benchmarking::analyse(&act, &q).await?)
        })
        .await?;
    let a = match analysis {
        Ok(a) => a,
        Err(missing) => bail!("{}", missing.text()),
    };
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&a.json())?)?,
        Format::Csv => {
            writeln!(
                out,
                "{}",
                csv_line(&[
                    "zone",
                    "framework",
                    "data_year",
                    "result_year",
                    "method",
                    "estimated_rank",
                    "composite",
                    "no",
                    "indicator",
                    "name",
                    "unit",
                    "value",
                    "rank",
                    "of",
                    "percentile",
                    "score",
                    "points",
                    "lost",
                    "target_value",
                    "gap",
                    "weight",
                    "weight_basis",
                    "sample",
                ])
            )?;
            let num = |v: Option<f64>| v.map(format_rounded).unwrap_or_default();
            for (i, p) in a.framework.indicators.iter().zip(&a.positions) {
                writeln!(
                    out,
                    "{}",
                    csv_line(&[
                        &a.zone,
                        &a.framework.id,
                        &a.data_year.to_string(),
                        &a.result_year.to_string(),
                        a.method.id(),
                        &a.rank.to_string(),
                        &format_rounded(a.composite),
                        &i.no,
                        &i.id,
                        &i.name,
                        &i.unit,
                        &num(p.value),
                        &p.rank.map(|r| r.to_string()).unwrap_or_default(),
                        &p.of.to_string(),
                        &num(p.percentile),
                        &format_rounded(p.score),
                        &format_rounded(p.points),
                        &format_rounded(p.lost),
                        &num(p.target_value),
                        &num(p.gap),
                        &format_rounded(i.weight),
                        if i.weight_basis.is_confirmed() {
                            "confirmed"
                        } else {
                            "assumed"
                        },
                        if a.sample { "sample" } else { "" },
                    ])
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Zones in a generated national peer set (the number of zones the 2024 results covered).
pub const SAMPLE_ZONES: usize = 178;
const SAMPLE_SEED: u64 = 0x6761_6f78;

/// `serve --demo`: a generated peer set (示例数据) for every zone the plan judges by a framework
/// that has indicators, for the data years 2024 and 2025, and a sample "published" top 50 of
/// the 2025 evaluation made by another method (so the calibration has something to measure).
pub async fn load_demo(store: &Store) -> Result<()> {
    if store.has_sample_peers().await? {
        return Ok(());
    }
    let plan = current_plan(store).await?;
    let frameworks = store.frameworks().await?;
    let mut sets: Vec<(String, String, Vec<&Framework>)> = Vec::new();
    for j in benchmarking::judged_zones(&plan) {
        if sets.iter().any(|(set, _, _)| *set == j.peers) {
            continue;
        }
        // Every framework of the judged one's scope that can score, on the same peers.
        let Some(judged) = frameworks.iter().find(|f| f.framework.id == j.framework) else {
            continue;
        };
        let same_scope: Vec<&Framework> = frameworks
            .iter()
            .map(|f| &f.framework)
            .filter(|f| f.scope == judged.framework.scope && f.scorable())
            .collect();
        if !same_scope.is_empty() {
            sets.push((j.peers.clone(), j.zone.clone(), same_scope));
        }
    }
    for (peer_set, zone, frameworks) in sets {
        let zone_name = plan
            .units
            .iter()
            .find(|u| u.id == zone)
            .map_or_else(|| zone.clone(), |u| u.name.clone());
        let mut zones = vec![(zone_name, Some(zone.clone()))];
        zones.extend((1..SAMPLE_ZONES).map(|i| (sample::peer_name(i), None)));
        let mut values = Vec::new();
        let mut ranks = Vec::new();
        for f in frameworks {
            for year in [2024, 2025] {
                let table = sample::peers(f, SAMPLE_ZONES, SAMPLE_SEED, year);
                for (z, row) in table.iter().enumerate() {
                    for (i, v) in f.indicators.iter().zip(row) {
                        if let Some(v) = v {
                            values.push((f.id.clone(), year, z, i.id.clone(), *v));
                        }
                    }
                }
                if year == 2024 {
                    let published = Model::new(f, table, 0, Method::ZScore).ranks();
                    ranks.extend(
                        published
                            .iter()
                            .enumerate()
                            .filter(|(_, r)| **r <= 50)
                            .map(|(z, r)| (f.id.clone(), benchmarking::result_year(year), z, *r)),
                    );
                }
            }
        }
        let written = store
            .load_sample_peers(
                &SamplePeers {
                    peer_set: peer_set.clone(),
                    zones,
                    values,
                    ranks,
                    source: sample::SOURCE.to_string(),
                },
                gaoxin_store::now(),
            )
            .await?;
        tracing::info!(
            peer_set,
            values = written,
            "loaded a sample peer set (示例数据)"
        );
    }
    Ok(())
}
