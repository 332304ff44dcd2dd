//! The permission matrix: which scopes each role holds (docs/permissions.md is the written
//! form; a test keeps the two in step). API keys carry an explicit subset of these scopes.

use std::collections::BTreeSet;

use kernel::Role;

/// Every scope a route may require, in display order.
pub const ALL_SCOPES: &[&str] = &[
    "leads:read",
    "leads:write",
    "outreach:read",
    "outreach:write",
    "voice:read",
    "voice:write",
    "projects:read",
    "projects:write",
    "members:read",
    "members:write",
    "api_keys:read",
    "api_keys:write",
    "webhooks:read",
    "webhooks:write",
    "jobs:read",
    "jobs:write",
];

/// The scopes a role holds.
pub fn scopes_for(role: Role) -> BTreeSet<String> {
    let allowed = |scope: &str| match role {
        Role::Owner | Role::Admin => true,
        Role::Member => {
            scope.ends_with(":read") && !scope.starts_with("api_keys") && !scope.starts_with("jobs")
                || [
                    "leads:write",
                    "outreach:write",
                    "voice:write",
                    "projects:write",
                ]
                .contains(&scope)
        }
        Role::Viewer => {
            scope.ends_with(":read")
                && !scope.starts_with("api_keys")
                && !scope.starts_with("jobs")
                && !scope.starts_with("webhooks")
        }
    };
    ALL_SCOPES
        .iter()
        .filter(|s| allowed(s))
        .map(|s| (*s).to_owned())
        .collect()
}

/// Role-only actions (not expressible as scopes), for the written matrix.
pub const ROLE_RULES: &[(&str, Role)] = &[
    ("invite members, change roles, remove members", Role::Admin),
    ("grant or revoke the owner role", Role::Owner),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_matrix_matches_the_code() {
        let doc = include_str!("../../../docs/permissions.md");
        for scope in ALL_SCOPES {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| `{scope}` ")))
                .unwrap_or_else(|| panic!("docs/permissions.md has no row for {scope}"));
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            for (i, role) in [Role::Owner, Role::Admin, Role::Member, Role::Viewer]
                .into_iter()
                .enumerate()
            {
                let documented = cells[2 + i] == "yes";
                assert_eq!(
                    documented,
                    scopes_for(role).contains(*scope),
                    "{scope} for {role:?}"
                );
            }
        }
    }

    #[test]
    fn roles_are_nested() {
        let v = scopes_for(Role::Viewer);
        let m = scopes_for(Role::Member);
        let a = scopes_for(Role::Admin);
        assert!(v.is_subset(&m) && m.is_subset(&a));
        assert_eq!(a, scopes_for(Role::Owner));
    }
}
