//! The Go module in a project, and the multi-stage Dockerfile Ferry generates for it.
//! CONTRACT: see the helper's brief; to be implemented.
