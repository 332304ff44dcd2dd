//! Leads as other slices read them ([`kernel::contacts::Contacts`]): outreach renders its
//! messages from these fields and sends to the email.

use kernel::contacts::{Contact, Contacts, MatchError};
use serde_json::{Map, Value};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::model::{LEADS, LIVE};

/// The text fields a message template may name, besides `custom.<key>`.
const TEMPLATE_FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "title",
    "website",
    "domain",
    "source",
    "status",
    "timezone",
];

/// The leads slice's [`Contacts`].
pub struct LeadContacts;

#[async_trait::async_trait]
impl Contacts for LeadContacts {
    async fn contacts(
        &self,
        conn: &mut PgConnection,
        ids: &[Uuid],
    ) -> Result<Vec<Contact>, sqlx::Error> {
        let rows = sqlx::query!(
            r#"SELECT id, first_name, last_name, email, phone, company, title, website, domain,
                      source, status, timezone, custom
               FROM leads
               WHERE id = ANY($1) AND deleted_at IS NULL AND erased_at IS NULL"#,
            ids
        )
        .fetch_all(conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let texts = [
                    r.first_name,
                    r.last_name,
                    r.email.clone(),
                    r.phone,
                    r.company,
                    r.title,
                    r.website,
                    r.domain,
                    r.source,
                    Some(r.status),
                    r.timezone.clone(),
                ];
                let mut fields: Map<String, Value> = TEMPLATE_FIELDS
                    .iter()
                    .zip(texts)
                    .filter_map(|(name, value)| Some(((*name).to_owned(), Value::String(value?))))
                    .collect();
                if let Value::Object(custom) = r.custom {
                    for (key, value) in custom {
                        if !value.is_null() {
                            fields.insert(format!("custom.{key}"), value);
                        }
                    }
                }
                Contact {
                    lead_id: r.id,
                    email: r.email,
                    timezone: r.timezone,
                    fields,
                }
            })
            .collect())
    }

    async fn with_email(
        &self,
        conn: &mut PgConnection,
        limit: i64,
    ) -> Result<Vec<Uuid>, sqlx::Error> {
        sqlx::query_scalar!(
            "SELECT id FROM leads
             WHERE email IS NOT NULL AND deleted_at IS NULL AND erased_at IS NULL
             ORDER BY created_at DESC, id DESC LIMIT $1",
            limit
        )
        .fetch_all(conn)
        .await
    }

    async fn matching(
        &self,
        conn: &mut PgConnection,
        list_query: &str,
        limit: i64,
    ) -> Result<Vec<Uuid>, MatchError> {
        let query = kernel::list::parse(&LEADS, list_query)?;
        let parts = query.to_sql(&LEADS, 1);
        let sql = format!(
            "SELECT l.id FROM leads l WHERE ({LIVE}) AND l.erased_at IS NULL AND ({}) \
             ORDER BY {} LIMIT {}",
            parts.where_sql,
            if parts.order_sql.is_empty() {
                "l.id"
            } else {
                &parts.order_sql
            },
            limit.max(0)
        );
        let args = parts
            .arguments()
            .map_err(|e| MatchError::Database(sqlx::Error::Encode(e)))?;
        // Dynamic: the list engine writes the WHERE and ORDER BY from the query.
        Ok(sqlx::query_scalar_with(&sql, args).fetch_all(conn).await?)
    }

    fn field_names(&self) -> Vec<String> {
        TEMPLATE_FIELDS.iter().map(|f| (*f).to_owned()).collect()
    }
}
