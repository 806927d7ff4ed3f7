#!/usr/bin/env python3
"""Builds an OCI image from one of our Dockerfiles with no Docker daemon and no registry.

Our machines have neither a container engine nor access to an image registry, but they reach
Debian's archive and run as root. So this reads the small Dockerfile subset our Dockerfiles use
and does what a builder would do:

  FROM debian:<suite>[-slim]   debootstrap --variant=minbase <suite> (slim: Debian's slim dpkg excludes)
  RUN <shell>                  in a chroot of the image's file system so far, as root, with ENV set
  COPY [--chown=U:G] SRC.. DST one layer per COPY, files from the context, fixed mtimes
  ENV, USER, WORKDIR, EXPOSE, LABEL, ENTRYPOINT, CMD   the image configuration

FROM and the RUN steps before the first COPY give the base layer, cached under --cache by the
text of those lines. A RUN after a COPY runs over the layers before it unpacked (their mtimes as
in the image, so what it records about the files, like a JVM's AOT cache, matches the running
image) and its layer is what it added or changed, cached by the digests of the layers before it
and its text. COPY layers are reproducible: sorted entries, numeric owners, mtime --epoch, gzip
mtime 0, so an unchanged lib/ gives the same layer digest. Output: an OCI image layout directory (load it
with `skopeo copy oci:DIR:TAG docker://...`, or tar it and `docker load`).

Usage: ocibuild.py DOCKERFILE --context DIR --tag NAME:TAG --output DIR [--cache DIR] [--epoch N]
"""
import argparse
import datetime
import glob
import gzip
import hashlib
import io
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile

MIRROR = "http://deb.debian.org/debian"
BASE_FORMAT = "1"  # bump when the way the base is made changes, to invalidate cached bases
SLIM_EXCLUDES = """path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
"""
# Left empty in the base: the runtime mounts or provides them.
RUNTIME_DIRS = ("dev", "proc", "sys", "run", "tmp")
RUNTIME_FILES = ("etc/resolv.conf", "etc/hostname", "etc/hosts")


class BuildError(Exception):
    pass


def parse(path):
    """The instructions of a Dockerfile as (line number, keyword, argument text)."""
    out, pending, start = [], "", 0
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if not pending:
                start = number
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            text = (pending + line).strip()
            pending = ""
            keyword, _, rest = text.partition(" ")
            out.append((start, keyword.upper(), rest.strip()))
    return out


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def debootstrap(image, root):
    name, _, tag = image.partition(":")
    if name != "debian" or not tag:
        raise BuildError(f"FROM {image}: only debian:<suite>[-slim] can be built here")
    suite, slim = (tag[:-5], True) if tag.endswith("-slim") else (tag, False)
    subprocess.run(["debootstrap", "--variant=minbase", suite, root, MIRROR], check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(root, "etc/apt/sources.list"), "w") as f:
        f.write(f"deb {MIRROR} {suite} main\ndeb {MIRROR} {suite}-updates main\n"
                f"deb http://deb.debian.org/debian-security {suite}-security main\n")
    if slim:
        with open(os.path.join(root, "etc/dpkg/dpkg.cfg.d/docker"), "w") as f:
            f.write(SLIM_EXCLUDES)


DEFAULT_ENV = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]


def run_in(root, command, env=()):
    """A RUN step: /bin/sh -c in a chroot, with /proc and /dev in a private mount namespace."""
    shutil.copy("/etc/resolv.conf", os.path.join(root, "etc/resolv.conf"))
    script = ('mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" && root="$1" && shift && '
              'exec chroot "$root" /usr/bin/env -i "$@"')
    variables = DEFAULT_ENV + ["DEBIAN_FRONTEND=noninteractive", "HOME=/root"] + list(env)
    result = subprocess.run(["unshare", "--mount", "--fork", "sh", "-c", script, "sh", root] + variables
                            + ["/bin/sh", "-c", command])
    if result.returncode != 0:
        raise BuildError(f"RUN exited {result.returncode}: {command[:120]}")


def base_layer(steps, cache):
    """The layer of FROM and its RUN steps: from the cache, or built and cached."""
    key = hashlib.sha256((BASE_FORMAT + "\n" + "\n".join(f"{k} {a}" for _, k, a in steps)).encode()).hexdigest()[:16]
    cached = os.path.join(cache, f"base-{key}.tar.gz")
    if not os.path.exists(cached):
        os.makedirs(cache, exist_ok=True)
        root = tempfile.mkdtemp(prefix="ocibuild-root-", dir=cache)
        try:
            debootstrap(steps[0][2], root)
            for _, _, command in steps[1:]:
                run_in(root, command)
            clear_runtime_paths(root)
            with open(cached + ".part", "wb") as out:
                write_layer(out, tree_entries(root))
            os.replace(cached + ".part", cached)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    with open(cached, "rb") as f:
        return f.read()


def clear_runtime_paths(root):
    """Empties what a runtime mounts or provides (RUNTIME_DIRS, RUNTIME_FILES)."""
    for d in RUNTIME_DIRS:
        path = os.path.join(root, d)
        if os.path.isdir(path):
            for entry in os.listdir(path):
                p = os.path.join(path, entry)
                shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.remove(p)
    for f in RUNTIME_FILES:
        if os.path.lexists(os.path.join(root, f)):
            os.remove(os.path.join(root, f))


def unpack(layer, root):
    """Applies a layer to root as a runtime does (owners, modes and mtimes as in the tar)."""
    with tarfile.open(fileobj=io.BytesIO(layer), mode="r:gz") as tar:
        try:
            tar.extractall(root, numeric_owner=True, filter="fully_trusted")
        except TypeError:  # Python without extraction filters
            tar.extractall(root, numeric_owner=True)


def tree_state(root):
    """
    Path -> (mode, owner, size, mtime, link) of everything but the runtime's paths. A directory's
    size and mtime are left out: they change with what is made or removed in it, which is seen
    on its own, so only a new directory or a new mode or owner puts one in a RUN's layer.
    """
    state = {}
    for directory, dirs, files in os.walk(root):
        rel = os.path.relpath(directory, root)
        dirs[:] = [d for d in dirs if os.path.normpath(os.path.join(rel, d)) not in RUNTIME_DIRS]
        for name in dirs + files:
            path = os.path.join(directory, name)
            key = os.path.normpath(os.path.join(rel, name))
            if key in RUNTIME_FILES:
                continue
            st = os.lstat(path)
            if stat.S_ISDIR(st.st_mode):
                state[key] = (st.st_mode, st.st_uid, st.st_gid, None, None, None)
            else:
                state[key] = (st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_mtime_ns,
                              os.readlink(path) if stat.S_ISLNK(st.st_mode) else None)
    return state


def run_layer(line, command, env, layers, cache, epoch):
    """The layer of a RUN after a COPY: what it adds or changes over the layers before it."""
    key = hashlib.sha256("\n".join([BASE_FORMAT] + [sha256(layer) for layer in layers] + env + [command]).encode()).hexdigest()[:16]
    cached = os.path.join(cache, f"run-{key}.tar.gz")
    if not os.path.exists(cached):
        os.makedirs(cache, exist_ok=True)
        root = tempfile.mkdtemp(prefix="ocibuild-run-", dir=cache)
        try:
            for layer in layers:
                unpack(layer, root)
            before = tree_state(root)
            run_in(root, command, env)
            after = tree_state(root)
            gone = sorted(p for p in before if p not in after)
            if gone:
                raise BuildError(f"line {line}: RUN after COPY removed {gone[0]} (and {len(gone) - 1} more): "
                                 "this builder writes no whiteouts")
            changed = [(p, os.path.join(root, p), None) for p, s in after.items() if before.get(p) != s]
            with open(cached + ".part", "wb") as out:
                write_layer(out, changed, epoch)
            os.replace(cached + ".part", cached)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    with open(cached, "rb") as f:
        return f.read()


def tree_entries(root):
    """(path in image, path on disk) for a whole tree, its owners and modes as they are."""
    entries = []
    for directory, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs) + sorted(files):
            disk = os.path.join(directory, name)
            entries.append((os.path.relpath(disk, root), disk, None))
    return entries


def write_layer(out, entries, epoch=None):
    """A gzipped tar of entries (image path, disk path, (uid, gid) or None to keep the disk's)."""
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for image_path, disk, owner in sorted(entries):
                info = tar.gettarinfo(disk, arcname=image_path) if disk else tarfile.TarInfo(image_path)
                if info is None:  # a socket: nothing an image can carry
                    continue
                info.uname = info.gname = ""
                if disk is None:
                    info.type, info.mode = tarfile.DIRTYPE, 0o755
                if owner is not None:
                    info.uid, info.gid = owner
                    if info.isreg():
                        info.mode = 0o755 if info.mode & 0o111 else 0o644
                if epoch is not None:
                    info.mtime = epoch
                if info.isreg():
                    with open(disk, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)


def copy_entries(line, argument, context):
    """The entries of one COPY: Docker's rules for files, globs and directories (contents copied)."""
    words = shlex.split(argument)
    owner = (0, 0)
    while words and words[0].startswith("--"):
        flag = words.pop(0)
        if not flag.startswith("--chown="):
            raise BuildError(f"line {line}: COPY {flag} is not supported")
        uid, _, gid = flag[len("--chown="):].partition(":")
        if not uid.isdigit() or (gid and not gid.isdigit()):
            raise BuildError(f"line {line}: COPY --chown needs numeric ids, got {flag}")
        owner = (int(uid), int(gid or uid))
    if len(words) < 2:
        raise BuildError(f"line {line}: COPY needs a source and a destination")
    *sources, dest = words
    entries = {}
    parents = set()
    for source in sources:
        matches = sorted(glob.glob(os.path.join(context, source)))
        if not matches:
            raise BuildError(f"line {line}: COPY source {source} matches nothing in {context}")
        for match in matches:
            if os.path.isdir(match):
                target = dest.strip("/")
                parents.add(target)
                for image_path, disk, _ in tree_entries(match):
                    entries[os.path.join(target, image_path)] = disk
            else:
                target = os.path.join(dest, os.path.basename(match)) if dest.endswith("/") or len(matches) > 1 else dest
                entries[target.strip("/")] = match
                parents.add(os.path.dirname(target.strip("/")))
    dirs = set()
    for p in parents:
        while p:
            dirs.add(p)
            p = os.path.dirname(p)
    result = [(p, None, owner) for p in dirs if p not in entries]
    return result + [(p, disk, owner) for p, disk in entries.items()]


def build(dockerfile, context, tag, output, cache, epoch):
    instructions = parse(dockerfile)
    if not instructions or instructions[0][1] != "FROM":
        raise BuildError(f"{dockerfile}: the first instruction must be FROM")
    base_steps, base, layers, history = [instructions[0]], None, [], []
    config = {"Env": list(DEFAULT_ENV), "Labels": {}}
    for line, keyword, argument in instructions[1:]:
        if keyword == "RUN":
            if "User" in config:
                raise BuildError(f"line {line}: RUN after USER is not supported by this builder")
            if layers:  # after a COPY: over the base and every layer so far
                base = base or base_layer(base_steps, cache)
                layers.append(run_layer(line, argument, config["Env"], [base] + layers, cache, epoch))
                history.append(f"RUN {argument}")
            elif config["Env"] != DEFAULT_ENV:
                raise BuildError(f"line {line}: RUN after ENV and before the first COPY is not supported by this builder")
            else:
                base_steps.append((line, keyword, argument))
        elif keyword == "COPY":
            buffer = io.BytesIO()
            write_layer(buffer, copy_entries(line, argument, context), epoch)
            layers.append(buffer.getvalue())
            history.append(f"COPY {argument}")
        elif keyword == "ENV":
            for word in shlex.split(argument):
                name, eq, value = word.partition("=")
                if not eq:
                    raise BuildError(f"line {line}: ENV needs NAME=value")
                config["Env"] = [e for e in config["Env"] if not e.startswith(name + "=")] + [f"{name}={value}"]
        elif keyword == "LABEL":
            for word in shlex.split(argument):
                name, _, value = word.partition("=")
                config["Labels"][name] = value
        elif keyword == "USER":
            config["User"] = argument
        elif keyword == "WORKDIR":
            config["WorkingDir"] = argument
        elif keyword == "EXPOSE":
            config["ExposedPorts"] = {(p if "/" in p else p + "/tcp"): {} for p in argument.split()}
        elif keyword in ("ENTRYPOINT", "CMD"):
            try:
                value = json.loads(argument)
            except ValueError:
                raise BuildError(f"line {line}: {keyword} must be in JSON form, got {argument}")
            config["Entrypoint" if keyword == "ENTRYPOINT" else "Cmd"] = value
        else:
            raise BuildError(f"line {line}: {keyword} is not supported by this builder")
    layers.insert(0, base or base_layer(base_steps, cache))
    history.insert(0, " && ".join(f"{k} {a}" for _, k, a in base_steps))
    write_layout(output, tag, config, layers, history, epoch)


def write_layout(output, tag, config, layers, history, epoch):
    blobs = os.path.join(output, "blobs", "sha256")
    if os.path.exists(output):
        shutil.rmtree(output)
    os.makedirs(blobs)

    def blob(data):
        digest = sha256(data)
        with open(os.path.join(blobs, digest[7:]), "wb") as f:
            f.write(data)
        return digest

    layer_descriptors = [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": blob(layer), "size": len(layer)}
                         for layer in layers]
    created = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    image_config = {
        "architecture": "amd64", "os": "linux", "created": created, "config": config,
        "rootfs": {"type": "layers", "diff_ids": [sha256(gzip.decompress(layer)) for layer in layers]},
        "history": [{"created": created, "created_by": h} for h in history],
    }
    config_bytes = json.dumps(image_config, sort_keys=True).encode()
    manifest = {
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": blob(config_bytes), "size": len(config_bytes)},
        "layers": layer_descriptors,
    }
    manifest_bytes = json.dumps(manifest, sort_keys=True).encode()
    name, _, version = tag.rpartition(":")
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": blob(manifest_bytes), "size": len(manifest_bytes),
        "annotations": {"org.opencontainers.image.ref.name": version, "io.containerd.image.name": tag}}]}
    with open(os.path.join(output, "index.json"), "w") as f:
        json.dump(index, f, sort_keys=True)
    with open(os.path.join(output, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dockerfile")
    parser.add_argument("--context", default=".")
    parser.add_argument("--tag", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--cache", default=".tools/image")
    parser.add_argument("--epoch", type=int, default=0)
    args = parser.parse_args()
    try:
        build(args.dockerfile, args.context, args.tag, args.output, args.cache, args.epoch)
    except (BuildError, subprocess.CalledProcessError, OSError) as e:
        print(f"ocibuild: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"ocibuild: {args.tag} written to {args.output}")


if __name__ == "__main__":
    main()
