//! `tsudoi incident add|list|show|report`: 事故報告 (contract clause 19).
//! The store side is `tsudoi::store::incidents`, the written report
//! `tsudoi::report::incident`.

use std::process::ExitCode;

use tsudoi::Result;
use tsudoi::store::incidents::{Incident, NewIncident};

use super::IncidentCmd;
use super::commands::{Context, parse_iso_date};

pub fn incident(ctx: &Context, c: IncidentCmd) -> Result<ExitCode> {
    match c {
        IncidentCmd::Add(a) => {
            let occurred_on = parse_iso_date(&a.occurred)?;
            let found = a.found.as_deref().map(parse_iso_date).transpose()?;
            let (mut store, staff) = ctx.sign_in()?;
            let found_on = found.unwrap_or_else(|| store.clock().today());
            let incident = store.add_incident(
                &staff,
                &NewIncident {
                    kind: a.kind,
                    occurred_on,
                    found_on,
                    people: a.people,
                    records: a.records,
                    measures: a.measures,
                    follows: a.follows,
                },
            )?;
            println!("事故を記録しました。事故の番号: {}", incident.id);
            println!(
                "取扱責任者は区への報告書を tsudoi incident report {} --out フォルダ で書き出してください。",
                incident.id
            );
            Ok(ExitCode::SUCCESS)
        }
        IncidentCmd::List => {
            let (store, staff) = ctx.sign_in()?;
            let all = store.incidents(&staff)?;
            if all.is_empty() {
                println!("記録された事故はありません。");
            }
            for i in &all {
                println!(
                    "{}  {}  起きた日 {}  {}人  記録 {}",
                    i.id,
                    i.kind.label(),
                    i.occurred_on,
                    i.people,
                    i.recorded_by
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        IncidentCmd::Show { id } => {
            let (store, staff) = ctx.sign_in()?;
            print(&store.incident(&staff, &id)?);
            Ok(ExitCode::SUCCESS)
        }
        IncidentCmd::Report { id, out } => {
            let (mut store, manager) = ctx.sign_in()?;
            let export = store.export_incident_report(&manager, &id, &out)?;
            println!("事故報告書を {} に書き出しました。", out.display());
            for f in &export.files {
                println!("  {f}");
            }
            println!("署名: 端末の公開鍵 {}", export.public_key);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print(incident: &Incident) {
    for (label, value) in tsudoi::report::incident::items(incident) {
        println!("{label}: {value}");
    }
    if incident.hidden_records > 0 {
        println!(
            "対象の記録: {}件（登録番号は取扱責任者・取扱者だけが見られます）",
            incident.hidden_records
        );
    }
}
