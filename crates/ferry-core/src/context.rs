//! The build context, packed in-process as a tar: honours `.dockerignore` (Docker's rules),
//! keeps UTF-8 path names and Unix modes, and normalises CRLF in shebang scripts.
//!
//! CONTRACT (to be implemented):
//! - `pack(root, extra, events)` walks `root`, skips what `.dockerignore` excludes (Docker's
//!   pattern rules: Go `filepath.Match` plus `**`, `!` exceptions, leading `/` and `./`
//!   stripped, later rules win), but always includes `.dockerignore` itself and the Dockerfile
//!   path given in `always_include`.
//! - Adds each `extra` (path in the tar, bytes) file, e.g. a generated Dockerfile.
//! - Paths are stored as UTF-8 with `/` separators (Chinese and spaces intact); Unix modes are
//!   kept on Unix; on Windows, files get 0644 and scripts with a shebang 0755.
//! - A text file starting with `#!` and containing CRLF gets LF endings in the tar; each such
//!   file is reported with `events.warn(Step::Build, ...)` naming it, and listed in the result.
//! - Files that are not valid UTF-8 names are an error that names the file.
