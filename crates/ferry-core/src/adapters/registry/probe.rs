//! Whether an image exists in its registry, asked quickly (a base image before a build).
