package main

// release names this build of the service; /healthz and / report it.
const release = "shop 1.0.0"
