//! `GET /api/v1/leads/export.csv`: every live lead matching the list filters (not one page),
//! streamed as CSV with flat memory: rows come from the database cursor one by one, are
//! written in chunks of about 64 KiB, and a chunk waits in a short channel until the client
//! has taken the previous ones (a slow client slows the query, it does not fill memory).

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use futures_util::TryStreamExt;
use kernel::{scope, tenant_tx, Problem, Scoped};
use sqlx::PgPool;

use crate::model::{Lead, LEADS};
use crate::registry;
use crate::store::export;

/// Chunks waiting for the client; with 64 KiB chunks, at most ~256 KiB per export.
const CHANNEL_CHUNKS: usize = 4;
const CHUNK_BYTES: usize = 64 * 1024;

/// Export leads as CSV.
///
/// Takes the list's filters, sort and `q` in either encoding; paging parameters are accepted
/// and ignored. `tags` are joined with `;`, `custom` is a JSON object. Text that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-` or `@`) is prefixed with
/// `'`, except in `phone` (E.164 starts with `+`).
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    responses(
        (status = 200, content_type = "text/csv", body = String),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_list_query"),
    )
)]
#[get("/export.csv")]
#[tracing::instrument(skip_all)]
pub async fn export_leads(
    db: web::Data<PgPool>,
    principal: Scoped<scope::LeadsRead>,
    req: HttpRequest,
) -> Result<HttpResponse, Problem> {
    let query = kernel::list::parse(&LEADS, req.query_string())?;
    let leads = export::live_leads(&query).map_err(|e| Problem::internal(&e))?;
    // Opened here so that a database that is down is a 5xx before the 200 is sent.
    let tx = tenant_tx(&db, &principal).await?;
    let (chunks, body) =
        tokio::sync::mpsc::channel::<Result<web::Bytes, std::io::Error>>(CHANNEL_CHUNKS);
    tokio::spawn(async move {
        let mut tx = tx;
        let mut rows = leads.fetch(&mut tx);
        let mut out = Vec::with_capacity(CHUNK_BYTES * 2);
        write_header(&mut out);
        loop {
            match rows.try_next().await {
                Ok(Some(lead)) => {
                    write_row(&mut out, &lead);
                    if out.len() >= CHUNK_BYTES {
                        let chunk = web::Bytes::from(std::mem::take(&mut out));
                        if chunks.send(Ok(chunk)).await.is_err() {
                            return; // The client left; dropping the transaction ends the query.
                        }
                    }
                }
                Ok(None) => break,
                Err(err) => {
                    // Headers are sent: the only way to say "incomplete" is to break the body.
                    tracing::error!(error = %err, "lead export failed mid-stream");
                    let _ = chunks
                        .send(Err(std::io::Error::other("export failed")))
                        .await;
                    return;
                }
            }
        }
        drop(rows);
        if !out.is_empty() {
            let _ = chunks.send(Ok(web::Bytes::from(out))).await;
        }
        let _ = tx.commit().await;
    });
    let stream = futures_util::stream::unfold(body, |mut body| async move {
        body.recv().await.map(|chunk| (chunk, body))
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"leads.csv\"",
        ))
        .streaming(stream))
}

/// The header row: the exported fields of the registry, in its order.
fn write_header(out: &mut Vec<u8>) {
    for (i, field) in registry::exported().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(field.name.as_bytes());
    }
    out.extend_from_slice(b"\r\n");
}

fn write_row(out: &mut Vec<u8>, lead: &Lead) {
    for (i, field) in registry::exported().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if let Some(cell) = field.csv {
            write_cell(out, &cell(lead), field.kind.formula_guarded());
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// One RFC 4180 cell; `guard` defuses spreadsheet formulas.
fn write_cell(out: &mut Vec<u8>, cell: &str, guard: bool) {
    let formula = guard && cell.starts_with(['=', '+', '-', '@']);
    let quote = formula || cell.contains([',', '"', '\r', '\n']);
    if quote {
        out.push(b'"');
    }
    if formula {
        out.push(b'\'');
    }
    for b in cell.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    if quote {
        out.push(b'"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(s: &str, guard: bool) -> String {
        let mut out = Vec::new();
        write_cell(&mut out, s, guard);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain", true), "plain");
        assert_eq!(cell("a,b", true), "\"a,b\"");
        assert_eq!(cell("say \"hi\"", true), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=SUM(A1)", true), "\"'=SUM(A1)\"");
        assert_eq!(cell("+40722123456", false), "+40722123456");
    }
}
