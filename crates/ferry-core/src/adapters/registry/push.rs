//! Pushing an image Ferry assembled to a registry, blob by blob, skipping what it has.
