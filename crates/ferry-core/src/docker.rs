//! The local Docker engine through bollard: connect, build (BuildKit), push, export.
//! CONTRACT: see the helper's brief; to be implemented.
