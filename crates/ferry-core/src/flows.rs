//! What Ferry does: a deploy, a release switch, status, logs and rollback, the deploy lock, the
//! connection to a server, the wizard's logins and project inspection, and the one operation
//! runner every stream ends through.

pub mod connect;
pub mod deploy;
pub mod gobuild;
pub mod inspect;
pub mod lock;
pub mod login;
pub mod ops;
pub mod overview;
pub mod release;
pub mod run;
pub mod ship;
