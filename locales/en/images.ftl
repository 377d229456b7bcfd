### What a build downloads, checked before it starts: its base images (`images.*` findings) and
### the Go module proxy (`goproxy.*` findings).

## Shared advice
-mirror-advice = add a registry mirror in Docker Desktop → Settings → Docker Engine: `"registry-mirrors": ["https://<mirror>"]`, then Apply & restart (in mainland China: your company's mirror or your cloud provider's, e.g. the accelerator address Aliyun shows in your Container Registry console)
-own-registry = copy the image into a registry you can reach (Aliyun ACR, Harbor, your company's) and
images-change-config = set `{ $key } = "<your registry>/{ $name }"` under [app] in ferry.toml
images-change-from = change line { $line } of { $file } to `FROM <your registry>/{ $name }`

## Base images
images-base_unreachable = the base image `{ $image }` is not on this machine and its registry, { $registry }, does not answer from here ({ $detail }): the build would stop at its FROM line
images-base_unreachable-mirrors = the base image `{ $image }` is not on this machine, none of the Docker engine's registry mirrors has it, and { $registry } does not answer from here ({ $detail }): the build would stop at its FROM line
images-base_unreachable-fix-hub = Make `{ $image }` reachable: { -mirror-advice }; or pull it once through a mirror and give it its name: `docker pull { $mirror_image }` then `docker tag { $mirror_image } { $image }`; or { -own-registry } { $change }.
images-base_unreachable-fix-other = Docker's registry mirrors serve only Docker Hub images, so for { $registry }: pull `{ $image }` once on a machine that reaches it and bring it here (`docker save` / `docker load`), or { -own-registry } { $change }.
images-base_missing = the base image `{ $image }` does not exist in { $registry }: the registry has no such repository or tag, so the build would stop at its FROM line
images-base_missing-fix = Check the image name and tag (`docker pull { $image }` shows what the registry says); if it is a copy you keep elsewhere, { $change }.
images-base_wrong_platform = the base image `{ $image }` exists, but not for { $platform } (the registry has: { $available }): the build for the server would fail
images-base_wrong_platform-fix = Use an image published for { $platform } (official images usually are multi-platform: try another tag), or { $change }.
images-base_wrong_platform-local = this machine has the base image `{ $image }` only for { $local }, the build needs it for { $platform }, and { $registry } does not answer from here ({ $detail })
images-base_wrong_platform-local-fix = Pull it for the right platform through a mirror or your own registry: `docker pull --platform { $platform } <mirror>/{ $image }` and `docker tag` it as `{ $image }`.
images-base_needs_login = the registry { $registry } asks for a login before it shows `{ $image }`: the build can pull it only if Docker is logged in there (Docker Hub answers this way for repositories that do not exist, too)
images-base_needs_login-fix = If the image is yours, log Docker in: `docker login { $registry }`; otherwise check the name.
images-base_unresolved = the base image `{ $image }` uses a build argument without a value here (no default, not in [app] build_args): it was not checked
images-autofix-config = Use the copy `{ $image }`: set { $key } in ferry.toml
images-autofix-from = Use the copy `{ $image }` in line { $line } of { $file }

## The Go module proxy
images-goproxy_unreachable = the build downloads Go modules through { $proxy }, which does not answer from here ({ $detail }): `go mod download` would fail
images-goproxy_unreachable-fix = Use a proxy that answers, e.g. `GOPROXY=https://goproxy.cn,direct` (or goproxy.io, or your company's), in place of { $proxy }; or declare `ARG GOPROXY` without a value, and Ferry's build args (your `go env GOPROXY`, or [app] build_args) decide.
images-goproxy_default_unreachable = the build downloads Go modules with no GOPROXY setting, and Go's default proxy { $proxy } does not answer from here ({ $detail }): `go mod download` would fail
images-goproxy_default_unreachable-fix = Before line { $line } of the Dockerfile add `ENV GOPROXY=https://goproxy.cn,direct` (or goproxy.io, or your company's proxy); or `ARG GOPROXY` there and `build_args = { "{" } GOPROXY = "https://goproxy.cn,direct" { "}" }` under [app] in ferry.toml.
images-goproxy_go_env_unreachable = your `go env GOPROXY` is { $value }, which Ferry passes to the build, and { $proxy } does not answer from here ({ $detail }): `go mod download` would fail
images-goproxy-fix-go_env = The generated Dockerfile uses your own Go settings: run `go env -w GOPROXY=https://goproxy.cn,direct` (or goproxy.io, or your company's proxy) and build again.
