//! The permission matrix: which scopes each role holds (docs/permissions.md is the written
//! form; a test keeps the two in step). API keys carry an explicit subset of these scopes.

use std::collections::BTreeSet;

use kernel::{Role, Scope};

/// The weakest role holding `scope` (roles are nested: a stronger one holds it too). The
/// match is exhaustive, so a scope added to the kernel needs a decision here.
fn weakest_role_holding(scope: Scope) -> Role {
    use Scope::*;
    match scope {
        LeadsRead | OutreachRead | VoiceRead | ProjectsRead | MembersRead => Role::Viewer,
        LeadsWrite | OutreachWrite | VoiceWrite | ProjectsWrite | WebhooksRead => Role::Member,
        MembersWrite | ApiKeysRead | ApiKeysWrite | WebhooksWrite | JobsRead | JobsWrite => {
            Role::Admin
        }
    }
}

/// The scopes a role holds.
pub fn scopes_for(role: Role) -> BTreeSet<Scope> {
    Scope::ALL
        .iter()
        .copied()
        .filter(|scope| role.at_least(weakest_role_holding(*scope)))
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
        for scope in Scope::ALL {
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
                    scopes_for(role).contains(scope),
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
