//! SSH sessions with ssh2 (blocking; callers run it on its own thread): connect, verify the host
//! key, authenticate, run `Cmd`s, stream input and output, and reach the server's own ports.
//! CONTRACT: see the helper's brief; to be implemented.
