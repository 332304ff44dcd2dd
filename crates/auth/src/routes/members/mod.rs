//! `/api/v1/members`: the tenant's members: list them, change a role, remove one. One file
//! per action; invitations (how members arrive) are in `routes/invitations`.
//!
//! Rules (docs/permissions.md): reading needs `members:read`; changing is a role-only right
//! (`RequireRole<roles::Admin>`: admin or owner, never an API key, whatever its scopes); only
//! an owner may grant or take away the owner role; the last owner can be neither demoted nor
//! removed. A changed or removed member's access tokens stop working at once.

mod list;
mod remove;
mod update;

use kernel::{Principal, Problem, ProblemCode, Role};
use uuid::Uuid;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1/members")
            .service(list::list_members)
            .service(update::update_member)
            .service(remove::remove_member),
    );
}

/// Checks a change that takes the owner role from `member` or gives it (`from` -> `to`;
/// `to == None` is removal) against the owner rules.
fn check_owner_rules(
    principal: &Principal,
    owners: &[Uuid],
    member: Uuid,
    from: Role,
    to: Option<Role>,
) -> Result<(), Problem> {
    let touches_owner = from == Role::Owner || to == Some(Role::Owner);
    if touches_owner && principal.role != Role::Owner {
        return Err(Problem::forbidden(
            "Only an owner may grant or take away the owner role.",
        ));
    }
    let loses_owner = from == Role::Owner && to != Some(Role::Owner);
    if loses_owner && owners.iter().all(|o| *o == member) {
        return Err(Problem::new(
            ProblemCode::LastOwner,
            "This is the tenant's last owner: make someone else an owner first.",
        ));
    }
    Ok(())
}
