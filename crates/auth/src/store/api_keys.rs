//! API keys (in progress): bearer authentication is refused until keys exist.

use kernel::tenancy::Principal;
use kernel::Problem;

use crate::state::AuthState;

pub async fn authenticate(_state: &AuthState, _key: &str) -> Result<Principal, Problem> {
    Err(Problem::unauthorized("Unknown API key."))
}
