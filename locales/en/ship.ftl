# Sending an image over SSH, layer by layer (flows/ship.rs).
archive-io = Could not read or write the image archive on this machine: { $detail }. Check the free space of the temporary folder and try again.
archive-format = The local Docker engine exported an image archive Ferry cannot read ({ $detail }). Run `docker save` on it to check, or rebuild the image.
ship-layer-have = layer { $index }/{ $count } ({ $size }): already on the server
ship-layer-extract = layer { $index }/{ $count } ({ $size }): on the server already, copied from its own image
ship-layer-full = layer { $index }/{ $count } ({ $size }): sent whole, { $sent } compressed
ship-layer-delta = layer { $index }/{ $count } ({ $size }): delta { $sent } against { $base }
ship-layer-archive = layer { $index }/{ $count } ({ $size }): in the compressed archive
ship-base-not-local = layer { $index }/{ $count }: the server's { $base } is not in the local Docker engine to compare with, so the layer goes whole
ship-resume = resuming: { $done } had arrived before, { $rest } to go
ship-delta-failed = The server could not rebuild a layer from its delta ({ $detail }); sending the changed layers whole instead.
ship-piece-bad = A piece of the image on the server did not match its digest ({ $detail }); the server removed it, and it is sent again.
ship-no-python = The server has no Python 2.7 or 3 (tried python3, /usr/libexec/platform-python, python, python2), so changed layers go whole instead of as small deltas. `ferry doctor` shows the command that installs it.
ship-containerd-store = The server's Docker keeps images in the containerd image store: the layers it already has are copied out of its own images into the loaded archive.
ship-cleanup-failed = Could not remove the transfer's pieces from the server ({ $detail }); the next deploy removes them.
ship-what-delta = delta { $bytes } of a { $image } image, layer { $index }/{ $count }
ship-what-layers = { $bytes } for a { $image } image: { $layers } of { $count } layers{ $deltas ->
    [0] {""}
   *[other] , { $deltas } as deltas
}
ship-what-nothing = nothing: the server had every layer of the { $image } image
ship-what-archive = { $bytes } compressed archive of the layers the server lacked ({ $image } image)
step-transfer-done = loaded { $image } on the server: { $what }
ship-what-registry = { $bytes } for a { $image } image: { $layers } of { $count } layers pushed, the others already in the registry
step-push-done = pushed: { $what }
check-server-no_python = The server has no Python 2.7 or 3, so Ferry cannot rebuild changed layers from small deltas there: every redeploy over SSH sends the changed layers whole (megabytes instead of kilobytes on a slow link).
check-server-no_python-fix = Install Python 3 on the server: `{ $command }`. Nothing else is needed; Ferry brings its own script.
