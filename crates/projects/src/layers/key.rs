//! Object keys: always `tenants/<tenant>/projects/<project>/<area>/<name>…`, built here from
//! checked parts. A key a client sends is parsed back into those parts, never used whole: a
//! part that is not a plain name (`..`, `.`, empty, a slash, a backslash, `%`, a control
//! character) makes it no key at all.

use object_store::path::Path;
use uuid::Uuid;

use crate::model::Layer;

/// Where under a project an object lives: one of its layers, or its scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Layer(Layer),
    Scripts,
}

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Layer(layer) => layer.as_str(),
            Area::Scripts => "scripts",
        }
    }

    fn parse(name: &str) -> Option<Area> {
        match name {
            "scripts" => Some(Area::Scripts),
            other => Layer::parse(other).map(Area::Layer),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectKey {
    pub tenant: Uuid,
    pub project: Uuid,
    pub area: Area,
    /// The name's parts below the area (a script: its name and `v<N>.sql`).
    pub parts: Vec<String>,
}

/// Not a key this API builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidKey;

/// Most parts below the area.
const MAX_PARTS: usize = 4;

impl ObjectKey {
    pub fn new(
        tenant: Uuid,
        project: Uuid,
        area: Area,
        parts: &[&str],
    ) -> Result<Self, InvalidKey> {
        if parts.is_empty() || parts.len() > MAX_PARTS || !parts.iter().all(|p| is_name(p)) {
            return Err(InvalidKey);
        }
        Ok(Self {
            tenant,
            project,
            area,
            parts: parts.iter().map(|p| (*p).to_owned()).collect(),
        })
    }

    /// Reads a whole key back into its parts.
    pub fn parse(key: &str) -> Result<Self, InvalidKey> {
        let mut segments = key.split('/');
        let mut next = || segments.next().ok_or(InvalidKey);
        if next()? != "tenants" {
            return Err(InvalidKey);
        }
        let tenant = parse_uuid(next()?)?;
        if next()? != "projects" {
            return Err(InvalidKey);
        }
        let project = parse_uuid(next()?)?;
        let area = Area::parse(next()?).ok_or(InvalidKey)?;
        let parts: Vec<&str> = segments.collect();
        Self::new(tenant, project, area, &parts)
    }

    /// The prefix of every object of `area` of a project.
    pub fn area_prefix(tenant: Uuid, project: Uuid, area: Area) -> Path {
        Path::from(format!(
            "tenants/{tenant}/projects/{project}/{}",
            area.as_str()
        ))
    }

    /// The last part: the object's name as the UI shows it.
    pub fn name(&self) -> &str {
        self.parts.last().map(String::as_str).unwrap_or_default()
    }

    pub fn path(&self) -> Path {
        Path::from(self.to_string())
    }
}

impl std::fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "tenants/{}/projects/{}/{}/{}",
            self.tenant,
            self.project,
            self.area.as_str(),
            self.parts.join("/")
        )
    }
}

/// Lower-case hyphenated form only: the form this API prints.
fn parse_uuid(text: &str) -> Result<Uuid, InvalidKey> {
    let id = Uuid::try_parse(text).map_err(|_| InvalidKey)?;
    if id.hyphenated().to_string() == text {
        Ok(id)
    } else {
        Err(InvalidKey)
    }
}

/// A plain object name: 1-200 of `A-Z a-z 0-9 _ . -`, starting with a letter or digit (so
/// never `.` or `..`).
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= 200
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

/// An uploaded file's name made plain: other characters become `_`, leading dots and
/// directories are dropped. `None` when nothing usable is left.
pub fn plain_file_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches(['.', '_', '-']);
    let cut: String = trimmed.chars().take(200).collect();
    is_name(&cut).then_some(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "0193a5c2-7d1e-7c4e-9f4b-2a1d3c4e5f60";
    const P: &str = "0193a5c2-7d1e-7c4e-9f4b-2a1d3c4e5f61";

    #[test]
    fn a_key_round_trips() {
        let key = format!("tenants/{T}/projects/{P}/scripts/clean_orders/v3.sql");
        let parsed = ObjectKey::parse(&key).unwrap();
        assert_eq!(parsed.area, Area::Scripts);
        assert_eq!(parsed.name(), "v3.sql");
        assert_eq!(parsed.to_string(), key);
    }

    #[test]
    fn traversal_and_odd_forms_are_no_key() {
        for bad in [
            format!("tenants/{T}/projects/{P}/bronze/../../x"),
            format!("tenants/{T}/projects/{P}/bronze/./x"),
            format!("tenants/{T}/projects/{P}/bronze/%2e%2e/x"),
            format!("tenants/{T}/projects/{P}/bronze/..%2fx"),
            format!("tenants/{T}/projects/{P}/bronze/a\\..\\b"),
            format!("tenants/{T}/projects/{P}/bronze//x"),
            format!("tenants/{T}/projects/{P}/bronze/x/"),
            format!("tenants/{T}/projects/{P}/bronze/"),
            format!("tenants/{T}/projects/{P}/other/x"),
            format!("/tenants/{T}/projects/{P}/bronze/x"),
            format!("tenants/{T}/projects/{}/bronze/x", P.to_uppercase()),
            format!("tenants/{T}/projects/{P}/bronze/x\0"),
            "/etc/passwd".to_owned(),
            "..".to_owned(),
            String::new(),
        ] {
            assert_eq!(ObjectKey::parse(&bad), Err(InvalidKey), "{bad:?}");
        }
    }

    #[test]
    fn uploaded_names_are_made_plain() {
        assert_eq!(
            plain_file_name("Orders 2024.csv").as_deref(),
            Some("Orders_2024.csv")
        );
        assert_eq!(
            plain_file_name("../../etc/passwd").as_deref(),
            Some("passwd")
        );
        assert_eq!(plain_file_name("C:\\data\\x.csv").as_deref(), Some("x.csv"));
        assert_eq!(
            plain_file_name(".hidden.csv").as_deref(),
            Some("hidden.csv")
        );
        assert_eq!(plain_file_name(".."), None);
        assert_eq!(plain_file_name(""), None);
    }
}
