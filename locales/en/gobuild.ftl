# The Go builder (builder = "go": no Docker on this machine) and pushing without Docker.

error-no-go = builder = "go" needs the Go toolchain, and no `go` answers here (not on PATH, not where the Go installer puts it). Install Go from https://go.dev/dl/ (in China: https://golang.google.cn/dl/), or set FERRY_GO to your `go`, or set builder = "docker" under [app].
error-no-builder = nothing here can build the image: no Docker engine answers ({ $detail }) and no Go toolchain was found. Start Docker Desktop, or install Go (https://go.dev/dl/, in China https://golang.google.cn/dl/) and Ferry builds without Docker.
go-start = could not run `{ $go }`: { $detail }. Check that Go is installed, or set FERRY_GO to your `go`.
go-build-failed = `go build { $package }` failed:
    { $output }
go-needs-cgo = the build needs cgo (C code) through { $packages }: the Go builder makes static binaries without a C compiler. Use a pure-Go library instead (e.g. modernc.org/sqlite for mattn/go-sqlite3), or build with Docker: builder = "docker" under [app].
go-ignores-dockerfile = the Go builder does not use `{ $path }`: Ferry builds the Go module and makes the image itself (CA certificates, a non-root user, the binary). Set builder = "docker" under [app] if the Dockerfile does more.
step-build-go = Building { $tag } for { $platform } with { $go } (`go build { $package }`, no Docker)
log-oci-archive = wrote the image to { $path } (OCI archive, manifest { $digest }); load it with `docker load -i` or copy it with skopeo
registry-bad-reference = `{ $image }` is not an image reference Ferry can push to: { $detail }
registry-unauthorized = registry { $registry } rejected user `{ $user }`: check the user name and password (`ferry secret set registry/{ $registry }/{ $user }`)
registry-untrusted = the certificate of registry { $registry } is not trusted here ({ $detail }). Put the registry's CA certificate in ~/.docker/certs.d/{ $registry }/ca.crt (Docker's own place for it), or install it in the system's certificate store.
registry-unreachable = registry { $registry } does not answer from here ({ $detail }). Check its address under [registry] and your network or proxy (HTTPS_PROXY).
registry-refused = registry { $registry } refused the push: { $detail }
plan-builder = builder
plan-builder-docker-configured = Docker (builder = "docker")
plan-builder-docker-auto = Docker (the local engine answers)
plan-builder-go-configured = Go { $go }, no Docker (builder = "go")
plan-builder-go-auto = Go { $go }, no Docker (no Docker engine answers)
plan-go-build = go build
plan-go-ignored = not used
plan-go-ignored-value = { $path } (the Go builder makes the image itself)
check-local-builds_with_go = no Docker needed: Ferry builds the image with { $go } and assembles it itself
