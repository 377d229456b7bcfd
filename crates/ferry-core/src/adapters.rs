//! What Ferry talks to: the local Docker engine, the server over SSH (and the commands it runs
//! there, as data), and the OS keyring.

pub mod docker;
pub mod go;
pub mod registry;
pub mod remote;
pub mod secret;
pub mod secrets;
pub mod server;
pub mod ssh;
