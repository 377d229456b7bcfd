# Ferry's image assembler, run on the server by Python 2.7 or 3.x (whatever the server has:
# yum and dnf need one). It rebuilds the layers of a new image from pieces Ferry uploaded
# (whole layers, gzip'd, or bsdiff deltas against a layer the server already has), checks
# every layer against its sha256 diff id, and only then feeds one archive to `docker load`.
# argv[1] is the plan (JSON). Exit codes: 80 a piece is missing or corrupt, 81 a base layer
# was not found, 82 a rebuilt layer has the wrong digest, 83 docker save failed, 84 docker
# load failed, 85 anything else.
import binascii, bz2, hashlib, json, os, shutil, subprocess, sys, tarfile, tempfile, zlib

CHUNK = 1 << 20


class Fail(Exception):
    def __init__(self, code, text):
        Exception.__init__(self, text)
        self.code = code


def say(text):
    sys.stdout.write("ferry: %s\n" % text)
    sys.stdout.flush()


def file_chunks(path):
    f = open(path, "rb")
    try:
        while True:
            b = f.read(CHUNK)
            if not b:
                break
            yield b
    finally:
        f.close()


def hexdigest_of(path):
    h = hashlib.sha256()
    for b in file_chunks(path):
        h.update(b)
    return h.hexdigest()


def piece(plan, name):
    return os.path.join(plan["cache"], name)


def check_pieces(plan):
    """Every piece the plan names must be there with the digest it is named by. One that is
    not is removed, so that the next upload sends it again instead of trusting it."""
    names = [l["piece"] for l in plan["layers"] if l.get("piece")] + [plan["config"]["piece"]]
    bad = []
    for name in names:
        path = piece(plan, name)
        if not os.path.isfile(path):
            bad.append("%s (missing)" % name)
        elif hexdigest_of(path) != name:
            os.remove(path)
            bad.append("%s (corrupt, removed)" % name)
    if bad:
        raise Fail(80, "pieces not as sent: " + ", ".join(bad))


def read_all(path):
    f = open(path, "rb")
    try:
        return f.read()
    finally:
        f.close()


def write_checked(path, chunks, diff_id):
    """Writes chunks to path; the sha256 of what was written must be diff_id."""
    h = hashlib.sha256()
    out = open(path, "wb")
    try:
        for b in chunks:
            h.update(b)
            out.write(b)
    finally:
        out.close()
    if "sha256:" + h.hexdigest() != diff_id:
        os.remove(path)
        raise Fail(82, "layer %s rebuilt with digest sha256:%s" % (diff_id, h.hexdigest()))


def gunzip_chunks(path):
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    for b in file_chunks(path):
        yield d.decompress(b)
    yield d.flush()


def offtin(b):
    y = 0
    for i in range(7, -1, -1):
        v = ord(b[i:i + 1])
        if i == 7:
            v &= 0x7F
        y = y * 256 + v
    if ord(b[7:8]) & 0x80:
        y = -y
    return y


if hasattr(int, "from_bytes"):
    def to_int(b):
        return int.from_bytes(b, "big")  # novm

    def to_bytes(n, size):
        return n.to_bytes(size, "big")  # novm
else:
    def to_int(b):
        return int(binascii.hexlify(b), 16) if b else 0

    def to_bytes(n, size):
        return binascii.unhexlify("%0*x" % (2 * size, n))


def add_bytes(old, diff):
    """Adds two byte strings byte by byte, modulo 256, with a few big-integer operations."""
    n = len(diff)
    if n == 0 or diff.count(b"\0") == n:
        return old
    low = to_int(b"\x7f" * n)
    high = to_int(b"\x80" * n)
    a = to_int(old)
    b = to_int(diff)
    return to_bytes(((a & low) + (b & low)) ^ ((a ^ b) & high), n)


def bspatch(old, patch):
    """Applies a BSDIFF40 patch (bzip2 blocks) to old; yields the new file in pieces."""
    if patch[:8] != b"BSDIFF40":
        raise Fail(80, "not a BSDIFF40 patch")
    ctrl_len, diff_len, new_size = offtin(patch[8:16]), offtin(patch[16:24]), offtin(patch[24:32])
    ctrl = bz2.decompress(patch[32:32 + ctrl_len])
    diff = bz2.decompress(patch[32 + ctrl_len:32 + ctrl_len + diff_len])
    extra = bz2.decompress(patch[32 + ctrl_len + diff_len:])
    old_pos = diff_pos = extra_pos = written = 0
    for i in range(0, len(ctrl), 24):
        x, y, z = offtin(ctrl[i:i + 8]), offtin(ctrl[i + 8:i + 16]), offtin(ctrl[i + 16:i + 24])
        if x < 0 or y < 0 or written + x + y > new_size:
            raise Fail(80, "corrupt patch")
        seg = diff[diff_pos:diff_pos + x]
        base = old[old_pos:old_pos + x] if old_pos >= 0 else b""
        if len(base) < x:
            base = base + b"\0" * (x - len(base))
        yield add_bytes(base, seg)
        diff_pos += x
        old_pos += x
        yield extra[extra_pos:extra_pos + y]
        extra_pos += y
        old_pos += z
        written += x + y
    if written != new_size:
        raise Fail(80, "patch too short")


def save_layers(plan, wanted, tmp):
    """Runs `docker save` of the plan's images and keeps the layers whose uncompressed sha256
    is in wanted ({diff_id: size or None}), as tmp/<hex>.base. Files of another size than a
    wanted one are skipped unread. Returns {diff_id: path}."""
    sizes = set(wanted.values())
    found = {}
    proc = subprocess.Popen(plan["docker"] + ["save"] + plan["save"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        archive = tarfile.open(fileobj=proc.stdout, mode="r|")
        for member in archive:
            if not member.isfile() or member.size < 1024:
                continue
            if None not in sizes and member.size not in sizes:
                continue
            src = archive.extractfile(member)
            head = src.read(CHUNK)
            inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if head[:2] == b"\x1f\x8b" else None
            path = os.path.join(tmp, "save.tmp")
            h = hashlib.sha256()
            out = open(path, "wb")
            try:
                while head:
                    b = inflate.decompress(head) if inflate else head
                    h.update(b)
                    out.write(b)
                    head = src.read(CHUNK)
                if inflate:
                    b = inflate.flush()
                    h.update(b)
                    out.write(b)
            finally:
                out.close()
            diff_id = "sha256:" + h.hexdigest()
            if diff_id in wanted and diff_id not in found:
                found[diff_id] = os.path.join(tmp, h.hexdigest() + ".base")
                os.rename(path, found[diff_id])
            else:
                os.remove(path)
            if len(found) == len(wanted):
                break
    except tarfile.TarError:
        pass
    if len(found) < len(wanted):
        err = proc.stderr.read().decode("utf-8", "replace")
        if proc.wait() != 0:
            raise Fail(83, err.strip() or "docker save failed")
        raise Fail(81, " ".join(sorted(set(wanted) - set(found))))
    proc.kill()
    proc.wait()
    return found


def main():
    plan = json.loads(sys.argv[1])
    plan["cache"] = os.path.join(os.path.expanduser("~"), plan["cache"])
    layers = plan["layers"]
    check_pieces(plan)
    wanted = dict((l["base"], l.get("base_size")) for l in layers if l["how"] == "delta")
    wanted.update((l["diff_id"], None) for l in layers if l["how"] == "extract")
    tmp = tempfile.mkdtemp(prefix="assemble.", dir=plan["cache"])
    try:
        bases = save_layers(plan, wanted, tmp) if wanted else {}
        files = {}
        count = len(layers)
        for i, l in enumerate(layers):
            how, diff_id = l["how"], l["diff_id"]
            path = os.path.join(tmp, diff_id.split(":")[1] + ".tar")
            if how == "full":
                write_checked(path, gunzip_chunks(piece(plan, l["piece"])), diff_id)
            elif how == "delta":
                old = read_all(bases[l["base"]])
                patch = read_all(piece(plan, l["piece"]))
                write_checked(path, bspatch(old, patch), diff_id)
                say("rebuilt layer %d/%d from its delta" % (i + 1, count))
            elif how == "extract":
                os.rename(bases[diff_id], path)
            else:
                continue
            files[diff_id] = path
        config = piece(plan, plan["config"]["piece"])
        load(plan, files, config)
    finally:
        shutil.rmtree(tmp, True)


def load(plan, files, config):
    config_name = plan["config"]["digest"].split(":")[1] + ".json"
    names = [l["diff_id"].split(":")[1] + "/layer.tar" for l in plan["layers"]]
    manifest = json.dumps([{"Config": config_name, "RepoTags": [plan["tag"]],
                            "Layers": names}]).encode("utf-8")
    proc = subprocess.Popen(plan["docker"] + ["load"], stdin=subprocess.PIPE)
    try:
        archive = tarfile.open(fileobj=proc.stdin, mode="w|", format=tarfile.USTAR_FORMAT)
        add(archive, "manifest.json", len(manifest), BytesReader(manifest))
        add_file(archive, str(config_name), config)
        for l, name in zip(plan["layers"], names):
            if l["diff_id"] in files:
                add_file(archive, str(name), files[l["diff_id"]])
        archive.close()
        proc.stdin.close()
    except (IOError, OSError):
        pass
    if proc.wait() != 0:
        raise Fail(84, "docker load failed")


class BytesReader(object):
    def __init__(self, data):
        self.data, self.pos = data, 0

    def read(self, n=-1):
        end = len(self.data) if n < 0 else self.pos + n
        b = self.data[self.pos:end]
        self.pos += len(b)
        return b


def add(archive, name, size, reader):
    info = tarfile.TarInfo(str(name))
    info.size, info.mode, info.mtime = size, 0o644, 0
    archive.addfile(info, reader)


def add_file(archive, name, path):
    f = open(path, "rb")
    try:
        add(archive, name, os.path.getsize(path), f)
    finally:
        f.close()


if __name__ == "__main__":
    try:
        main()
    except Fail as e:
        sys.stderr.write("ferry-assemble: %s\n" % e)
        sys.exit(e.code)
    except Exception as e:
        sys.stderr.write("ferry-assemble: %s: %s\n" % (type(e).__name__, e))
        sys.exit(85)
