//! What Ferry reads and writes: `ferry.toml`, Dockerfiles, `.dockerignore`, `go.mod`, and the
//! build context it packs.

pub mod config;
pub mod context;
pub mod dockerfile;
pub mod dockerignore;
pub mod gomod;
pub mod image_archive;
pub mod oci_image;
