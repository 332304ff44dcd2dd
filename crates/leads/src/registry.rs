//! The lead field registry: every field of a lead declared once, with what each part of the
//! slice may do with it. The list allow-list ([`LISTED`]), the CSV import's targets
//! ([`IMPORTABLE`], typed in the OpenAPI document as [`ImportableLeadField`]), the CSV
//! export's columns ([`exported`]) and the fields a merge may take from the other lead
//! ([`MERGEABLE`]) are all read from [`FIELDS`], so a new field is one entry here (plus its
//! column, its place in the structs of [`crate::model`] and [`crate::fields`], and its
//! normalisation). The tests at the end check the table against those structs.

use std::borrow::Cow;

use kernel::list::{Field, FieldType};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

use crate::model::Lead;
use Kind::*;

/// What a field holds: how lists compare it, how a CSV cell is read into it and written from
/// it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// An email address (stored lower case).
    Email,
    /// A phone number in E.164 (`+40722123456`).
    Phone,
    /// A web address.
    Url,
    /// An IANA time zone name.
    TimeZone,
    /// A whole number.
    Int,
    Uuid,
    /// A list of text values; a CSV cell separates them with `;` or `,` (export: `;`).
    Tags,
    /// The custom field values, a JSON object by key.
    Custom,
    /// An RFC 3339 timestamp.
    Timestamp,
}

impl Kind {
    /// How the list protocol compares it (`None`: no list may filter on it).
    const fn list_type(self) -> Option<FieldType> {
        match self {
            Kind::Text | Kind::Email | Kind::Phone | Kind::Url | Kind::TimeZone => {
                Some(FieldType::Text)
            }
            Kind::Int => Some(FieldType::Int),
            Kind::Uuid => Some(FieldType::Uuid),
            Kind::Tags => Some(FieldType::TextArray),
            Kind::Timestamp => Some(FieldType::Timestamp),
            Kind::Custom => None,
        }
    }

    /// Whether the export defuses a cell of this kind that a spreadsheet would run as a
    /// formula. Not phones (E.164 starts with `+`), nor values the server writes itself.
    pub const fn formula_guarded(self) -> bool {
        matches!(
            self,
            Kind::Text | Kind::Email | Kind::Url | Kind::Tags | Kind::Custom
        )
    }

    /// What a CSV cell holds, for the OpenAPI document.
    const fn describe(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Email => "an email address",
            Kind::Phone => "a phone number in international format",
            Kind::Url => "a web address",
            Kind::TimeZone => "an IANA time zone name",
            Kind::Int => "a whole number",
            Kind::Uuid => "a UUID",
            Kind::Tags => "tags separated by ; or ,",
            Kind::Custom => "a JSON object",
            Kind::Timestamp => "an RFC 3339 timestamp",
        }
    }
}

/// One field of a lead.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The name in the API, in list queries, in CSV headers and import mappings.
    pub name: &'static str,
    /// What people call it.
    pub label: &'static str,
    pub kind: Kind,
    /// The SQL a list filters and sorts it by (`None`: not in the list allow-list).
    pub column: Option<&'static str>,
    pub sortable: bool,
    /// A CSV column may feed it.
    pub importable: bool,
    /// A merge may take it from the other lead (`keep`).
    pub mergeable: bool,
    /// Its cell in the CSV export (`None`: not exported).
    pub csv: Option<fn(&Lead) -> String>,
}

impl FieldSpec {
    const fn new(name: &'static str, label: &'static str, kind: Kind) -> Self {
        FieldSpec {
            name,
            label,
            kind,
            column: None,
            sortable: true,
            importable: false,
            mergeable: false,
            csv: None,
        }
    }

    const fn listed(mut self, column: &'static str) -> Self {
        self.column = Some(column);
        self
    }

    const fn not_sortable(mut self) -> Self {
        self.sortable = false;
        self
    }

    const fn importable(mut self) -> Self {
        self.importable = true;
        self
    }

    const fn mergeable(mut self) -> Self {
        self.mergeable = true;
        self
    }

    const fn exported(mut self, cell: fn(&Lead) -> String) -> Self {
        self.csv = Some(cell);
        self
    }

    /// A field a request edits: imported, merged and exported.
    const fn editable(self, cell: fn(&Lead) -> String) -> Self {
        self.importable().mergeable().exported(cell)
    }

    /// Its entry in the list allow-list.
    const fn list_field(&self) -> Option<Field> {
        match (self.column, self.kind.list_type()) {
            (Some(column), Some(ty)) => {
                let field = Field::new(self.name, column, ty);
                Some(if self.sortable {
                    field
                } else {
                    field.not_sortable()
                })
            }
            _ => None,
        }
    }
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn uuid(id: Option<uuid::Uuid>) -> String {
    id.map(|i| i.to_string()).unwrap_or_default()
}

/// Every field of a lead, in the order of the CSV export.
pub static FIELDS: [FieldSpec; 26] = [
    FieldSpec::new("id", "ID", Uuid)
        .listed("l.id")
        .exported(|l| l.id.to_string()),
    FieldSpec::new("first_name", "First name", Text)
        .listed("l.first_name")
        .editable(|l| text(&l.first_name)),
    FieldSpec::new("last_name", "Last name", Text)
        .listed("l.last_name")
        .editable(|l| text(&l.last_name)),
    FieldSpec::new("email", "Email", Email)
        .listed("l.email")
        .editable(|l| text(&l.email)),
    FieldSpec::new("phone", "Phone", Phone)
        .listed("l.phone")
        .editable(|l| text(&l.phone)),
    FieldSpec::new("company", "Company", Text)
        .listed("l.company")
        .editable(|l| text(&l.company)),
    FieldSpec::new("title", "Job title", Text)
        .listed("l.title")
        .editable(|l| text(&l.title)),
    FieldSpec::new("website", "Website", Url)
        .listed("l.website")
        .editable(|l| text(&l.website)),
    // Derived from the website by the database.
    FieldSpec::new("domain", "Domain", Text)
        .listed("l.domain")
        .exported(|l| text(&l.domain)),
    FieldSpec::new("source", "Source", Text)
        .listed("l.source")
        .editable(|l| text(&l.source)),
    FieldSpec::new("status", "Status", Text)
        .listed("l.status")
        .editable(|l| l.status.clone()),
    FieldSpec::new("score", "Score", Int)
        .listed("l.score")
        .editable(|l| l.score.to_string()),
    FieldSpec::new("owner_id", "Owner", Uuid)
        .listed("l.owner_id")
        .editable(|l| uuid(l.owner_id)),
    FieldSpec::new("tags", "Tags", Tags)
        .listed("l.tags")
        .not_sortable()
        .editable(|l| l.tags.join(";")),
    FieldSpec::new("timezone", "Time zone", TimeZone)
        .listed("l.timezone")
        .editable(|l| text(&l.timezone)),
    // A place on a board is set by pipeline or stage id; an import has no ids to give.
    FieldSpec::new("pipeline_id", "Pipeline", Uuid)
        .listed("l.pipeline_id")
        .mergeable()
        .exported(|l| uuid(l.pipeline_id)),
    FieldSpec::new("stage_id", "Stage", Uuid)
        .listed("l.stage_id")
        .mergeable()
        .exported(|l| uuid(l.stage_id)),
    // Custom columns are imported one by one (`custom.<key>`), not as an object.
    FieldSpec::new("custom", "Custom fields", Custom)
        .mergeable()
        .exported(|l| l.custom.to_string()),
    FieldSpec::new("rank", "Board position", Text).listed("l.rank"),
    FieldSpec::new("created_by", "Created by", Uuid).listed("l.created_by"),
    FieldSpec::new("updated_by", "Updated by", Uuid).listed("l.updated_by"),
    FieldSpec::new("version", "Version", Int)
        .listed("l.version")
        .exported(|l| l.version.to_string()),
    FieldSpec::new("created_at", "Created", Timestamp)
        .listed("l.created_at")
        .exported(|l| l.created_at.to_rfc3339()),
    FieldSpec::new("updated_at", "Updated", Timestamp)
        .listed("l.updated_at")
        .exported(|l| l.updated_at.to_rfc3339()),
    FieldSpec::new("deleted_at", "Deleted", Timestamp).listed("l.deleted_at"),
    FieldSpec::new("merged_into", "Merged into", Uuid),
];

/// The field named `name`.
pub fn field(name: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The exported fields, in column order.
pub fn exported() -> impl Iterator<Item = &'static FieldSpec> {
    FIELDS.iter().filter(|f| f.csv.is_some())
}

/// The uses a field may have, for the name lists built at compile time.
#[derive(Clone, Copy)]
enum Use {
    Import,
    Merge,
}

const fn has(spec: &FieldSpec, ability: Use) -> bool {
    match ability {
        Use::Import => spec.importable,
        Use::Merge => spec.mergeable,
    }
}

const fn count(ability: Use) -> usize {
    let (mut n, mut i) = (0, 0);
    while i < FIELDS.len() {
        if has(&FIELDS[i], ability) {
            n += 1;
        }
        i += 1;
    }
    n
}

const fn names<const N: usize>(ability: Use) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut j) = (0, 0);
    while i < FIELDS.len() {
        if has(&FIELDS[i], ability) {
            out[j] = FIELDS[i].name;
            j += 1;
        }
        i += 1;
    }
    out
}

/// The lead fields a CSV column can feed (besides `custom.<key>`), in table order.
pub const IMPORTABLE: &[&str] = &names::<{ count(Use::Import) }>(Use::Import);

/// The fields a merge may take from either lead (`keep`), in table order.
pub const MERGEABLE: &[&str] = &names::<{ count(Use::Merge) }>(Use::Merge);

const fn listed_count() -> usize {
    let (mut n, mut i) = (0, 0);
    while i < FIELDS.len() {
        if FIELDS[i].list_field().is_some() {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The list allow-list of leads: every field with a column.
pub static LISTED: [Field; listed_count()] = {
    let mut out = [Field::new("", "", FieldType::Text); listed_count()];
    let (mut i, mut j) = (0, 0);
    while i < FIELDS.len() {
        if let Some(field) = FIELDS[i].list_field() {
            out[j] = field;
            j += 1;
        }
        i += 1;
    }
    out
};

/// The name of a lead field a CSV column can feed, in the OpenAPI document: its values are
/// [`IMPORTABLE`], and its description says what each cell holds. (`custom.<key>` names one
/// of the tenant's custom fields besides these.)
pub struct ImportableLeadField;

impl utoipa::PartialSchema for ImportableLeadField {
    fn schema() -> RefOr<Schema> {
        let cells: Vec<String> = FIELDS
            .iter()
            .filter(|f| f.importable)
            .map(|f| format!("`{}` ({}): {}", f.name, f.label, f.kind.describe()))
            .collect();
        let description = format!(
            "A lead field a CSV column can feed; the cell holds: {}.",
            cells.join("; ")
        );
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(IMPORTABLE.iter().copied()))
            .description(Some(description))
            .into()
    }
}

impl utoipa::ToSchema for ImportableLeadField {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ImportableLeadField")
    }
}

/// Where a CSV column goes, in the OpenAPI document: an [`ImportableLeadField`], or
/// `custom.<key>` for one of the tenant's custom fields.
pub struct ImportTarget;

impl utoipa::PartialSchema for ImportTarget {
    fn schema() -> RefOr<Schema> {
        let custom = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^custom\..+$"))
            .description(Some(
                "One of the tenant's custom fields (`GET /api/v1/lead-fields`)",
            ));
        utoipa::openapi::schema::OneOfBuilder::new()
            .item(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                "ImportableLeadField",
            )))
            .item(custom)
            .description(Some(
                "A lead field (`email`) or a custom field (`custom.industry`).",
            ))
            .into()
    }
}

impl utoipa::ToSchema for ImportTarget {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ImportTarget")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        use utoipa::PartialSchema;
        schemas.push((
            "ImportableLeadField".to_owned(),
            ImportableLeadField::schema(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;
    use utoipa::PartialSchema;

    use super::*;
    use crate::fields::LeadInput;

    fn properties<T: PartialSchema>() -> BTreeSet<String> {
        match serde_json::to_value(T::schema()) {
            Ok(Value::Object(schema)) => schema["properties"]
                .as_object()
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default(),
            _ => BTreeSet::new(),
        }
    }

    #[test]
    fn every_field_of_a_lead_is_registered_once() {
        let registered: BTreeSet<String> = FIELDS.iter().map(|f| f.name.to_owned()).collect();
        assert_eq!(registered.len(), FIELDS.len(), "a name registered twice");
        assert_eq!(
            registered,
            properties::<Lead>(),
            "the Lead schema and FIELDS"
        );
    }

    #[test]
    fn lists_and_exports_read_every_registered_field() {
        for spec in &FIELDS {
            let column = format!("l.{}", spec.name);
            assert!(
                crate::model::SELECT_LEADS.contains(&column),
                "SELECT_LEADS reads no {column}"
            );
        }
    }

    #[test]
    fn the_editable_fields_are_the_mergeable_ones() {
        let editable = match serde_json::to_value(LeadInput::default().into_fields()) {
            Ok(Value::Object(map)) => map.keys().cloned().collect::<BTreeSet<_>>(),
            _ => BTreeSet::new(),
        };
        let mergeable: BTreeSet<String> = MERGEABLE.iter().map(|f| (*f).to_owned()).collect();
        assert_eq!(editable, mergeable, "LeadFields and the mergeable fields");
        let mut patch = properties::<crate::fields::LeadPatch>();
        patch.remove("version");
        assert_eq!(patch, editable, "LeadPatch and LeadFields");
        assert_eq!(
            properties::<LeadInput>(),
            editable,
            "LeadInput and LeadFields"
        );
    }

    #[test]
    fn what_an_import_sets_a_request_can_set() {
        let input = properties::<LeadInput>();
        for name in IMPORTABLE {
            assert!(
                input.contains(*name),
                "{name} is importable but not in LeadInput"
            );
        }
    }

    #[test]
    fn the_list_allow_list_is_consistent() {
        let resource = kernel::list::Resource::new("leads", &LISTED);
        assert_eq!(resource.check(), Ok(()));
        assert!(LISTED.iter().all(|f| !f.name.is_empty()));
    }
}
