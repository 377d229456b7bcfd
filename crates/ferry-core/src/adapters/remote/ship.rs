//! Sending an image over SSH in pieces: what the server holds (inventory), uploading one
//! content-addressed piece (resumable: it appends to a partial file), rebuilding and loading
//! the image from pieces (a Python script, `ship/assemble.py`), loading a whole archive, and
//! removing pieces. Pieces live under the deploy user's home, per app.

use super::{Cmd, Deadline, DockerCli};
use crate::adapters::secret::Secret;
use serde::Serialize;
use std::time::Duration;

/// Where an app's pieces live, relative to the SSH user's home (commands start there).
pub fn cache_dir(app: &str) -> String {
    format!(".ferry/cache/{app}")
}

/// Exit statuses of [`upload`].
pub const UPLOAD_OFFSET_MOVED: i32 = 73;
pub const UPLOAD_INCOMPLETE: i32 = 74;
pub const UPLOAD_CORRUPT: i32 = 72;
/// Exit statuses of [`assemble`] (see `assemble.py`).
pub const ASSEMBLE_PIECE_BAD: i32 = 80;
pub const ASSEMBLE_BASE_MISSING: i32 = 81;
pub const ASSEMBLE_DIGEST_MISMATCH: i32 = 82;
pub const ASSEMBLE_SAVE_FAILED: i32 = 83;
pub const ASSEMBLE_LOAD_FAILED: i32 = 84;

/// Finds the first Python that has what the assembler needs; prints `python PATH VERSION`.
macro_rules! python_loop {
    () => {
        r#"for p in python3 /usr/libexec/platform-python python python2; do
  v=$("$p" -c 'import sys, bz2, zlib, hashlib, tarfile, json, binascii; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) && { echo "python $p $v"; break; }
done
"#
    };
}

/// Prints `python PATH VERSION` for the Python the assembler would use; exit 1 when none.
const PYTHON: &str = concat!(python_loop!(), "[ -n \"${v:-}\" ] || exit 1\n");

pub fn python() -> Cmd {
    Cmd::script(PYTHON, Vec::<String>::new())
}

/// `$1` sudo|plain, `$2` the app's piece directory. Prints one fact per line: `python PATH
/// VERSION` (the first Python that has what the assembler needs), `store DRIVER STATUS`,
/// `image ID|TAGS|DIFF_IDS` for every image, `piece NAME SIZE` for every complete piece and
/// `part NAME SIZE` for every partial one.
const INVENTORY: &str = concat!(
    r#"set -u
if [ "$1" = sudo ]; then cli() { sudo -n docker "$@"; }; else cli() { docker "$@"; }; fi
"#,
    python_loop!(),
    r#"echo "store $(cli info --format '{{.Driver}} {{json .DriverStatus}}' 2>/dev/null)"
ids=$(cli image ls --quiet --no-trunc | sort -u)
if [ -n "$ids" ]; then
  # An image removed meanwhile (a prune elsewhere) is only missing from the list.
  cli image inspect --format 'image {{.Id}}|{{range .RepoTags}}{{.}},{{end}}|{{range .RootFS.Layers}}{{.}} {{end}}' $ids 2>/dev/null
  true
fi
if [ -d "$2" ]; then
  for f in "$2"/*; do
    [ -f "$f" ] || continue
    n=${f##*/}
    case $n in
      *.part) echo "part ${n%.part} $(wc -c <"$f")" ;;
      *) echo "piece $n $(wc -c <"$f")" ;;
    esac
  done
fi
"#
);

pub fn inventory(docker: DockerCli, dir: &str) -> Cmd {
    let mode = if docker.sudo { "sudo" } else { "plain" };
    Cmd::script(INVENTORY, [mode, dir]).with_deadline(Deadline::Total(Duration::from_secs(60)))
}

/// `$1` directory, `$2` piece name (its sha256), `$3` bytes already there, `$4` full size:
/// appends standard input to `NAME.part`; once it has all bytes and the right digest it
/// becomes `NAME`. A connection cut midway leaves the part for the next try.
const UPLOAD: &str = r#"set -u
umask 077
mkdir -p "$1" || exit 70
p="$1/$2.part"
[ -f "$p" ] || : >"$p" || exit 70
[ "$(wc -c <"$p")" -eq "$3" ] || exit 73
cat >>"$p" || exit 71
n=$(wc -c <"$p")
[ "$n" -lt "$4" ] && exit 74
h=$(sha256sum "$p" | cut -d' ' -f1)
if [ "$n" -ne "$4" ] || [ "$h" != "$2" ]; then rm -f "$p"; exit 72; fi
mv -f "$p" "$1/$2"
"#;

pub fn upload(dir: &str, name: &str, offset: u64, size: u64) -> Cmd {
    Cmd::script(
        UPLOAD,
        [
            dir.to_string(),
            name.to_string(),
            offset.to_string(),
            size.to_string(),
        ],
    )
    .with_deadline(Deadline::Idle(Duration::from_secs(120)))
}

/// The assembler: rebuilds layers from pieces, checks each against its diff id, loads.
pub const ASSEMBLE_PY: &str = include_str!("ship/assemble.py");

/// What the assembler is asked to do (its `argv[1]`, as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssemblePlan {
    /// How to run docker there (`sudo -n docker` or `docker`).
    pub docker: Vec<String>,
    /// The piece directory, relative to the home directory.
    pub cache: String,
    /// The image's `name:tag`.
    pub tag: String,
    pub config: ConfigPiece,
    pub layers: Vec<AssembleLayer>,
    /// Images to `docker save` for the layers the server rebuilds from its own.
    pub save: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigPiece {
    pub piece: String,
    pub digest: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssembleLayer {
    pub diff_id: String,
    /// `have` (the engine holds it), `extract` (copied out of a saved image), `full` (a gzip'd
    /// piece), `delta` (a bsdiff piece against the layer `base`).
    pub how: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub piece: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// The base layer's size (lets the assembler skip every other file of `docker save`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_size: Option<u64>,
}

/// The script goes on standard input (`python -`): as an argument, the encoding that gets it
/// through any login shell would triple its size on the link.
pub fn assemble(python: &str, plan: &AssemblePlan) -> Cmd {
    let json = serde_json::to_string(plan).expect("the plan serializes");
    Cmd::new([python, "-", json.as_str()])
        .with_stdin(Secret::new(ASSEMBLE_PY))
        .with_deadline(Deadline::Idle(Duration::from_secs(300)))
}

/// How `docker` is run inside the assembler.
pub fn docker_argv(docker: DockerCli) -> Vec<String> {
    docker.docker(Vec::<String>::new()).argv
}

/// Loads a complete (gzip'd) archive piece, for servers without a usable Python.
pub fn load_piece(docker: DockerCli, dir: &str, name: &str) -> Cmd {
    docker
        .docker(["load", "--input", &format!("{dir}/{name}")])
        .with_deadline(Deadline::Idle(Duration::from_secs(300)))
}

/// `$1` directory, then piece names: removes those pieces (and their parts), anything there
/// older than a day, and the directory once empty.
const REMOVE: &str = r#"set -u
d=$1
shift
[ -d "$d" ] || exit 0
for n in "$@"; do rm -f "$d/$n" "$d/$n.part"; done
find "$d" -mindepth 1 -maxdepth 1 -mmin +1440 -exec rm -rf {} + 2>/dev/null
rmdir "$d" 2>/dev/null
exit 0
"#;

pub fn remove_pieces(dir: &str, names: &[String]) -> Cmd {
    Cmd::script(
        REMOVE,
        std::iter::once(dir.to_string()).chain(names.iter().cloned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inventory_is_one_script_with_the_docker_mode_and_directory() {
        let cmd = inventory(DockerCli { sudo: true }, &cache_dir("hello"));
        assert_eq!(&cmd.argv[..2], &["sh", "-c"]);
        assert_eq!(&cmd.argv[3..], &["sh", "sudo", ".ferry/cache/hello"]);
        assert_eq!(cmd.argv[2], INVENTORY);
    }

    #[test]
    fn the_python_probe_tries_each_name_and_fails_without_one() {
        let cmd = python();
        assert_eq!(&cmd.argv[..2], &["sh", "-c"]);
        assert_eq!(cmd.argv.len(), 4);
        assert!(cmd.argv[2]
            .starts_with("for p in python3 /usr/libexec/platform-python python python2; do"));
        assert!(cmd.argv[2].ends_with("[ -n \"${v:-}\" ] || exit 1\n"));
        assert!(INVENTORY.contains(python_loop!()));
    }

    #[test]
    fn upload_names_the_piece_its_offset_and_size() {
        let cmd = upload(".ferry/cache/hello", "ab12", 1024, 4096);
        assert_eq!(
            cmd.shell(),
            format!(
                "sh -c {} sh .ferry/cache/hello ab12 1024 4096",
                crate::adapters::remote::quote(UPLOAD)
            )
        );
        assert_eq!(cmd.deadline, Deadline::Idle(Duration::from_secs(120)));
    }

    #[test]
    fn assemble_runs_the_script_with_the_plan_as_one_argument() {
        let plan = AssemblePlan {
            docker: docker_argv(DockerCli { sudo: true }),
            cache: ".ferry/cache/hello".into(),
            tag: "hello:1".into(),
            config: ConfigPiece {
                piece: "c0".into(),
                digest: "sha256:c0".into(),
            },
            layers: vec![
                AssembleLayer {
                    diff_id: "sha256:a".into(),
                    how: "have",
                    piece: None,
                    base: None,
                    base_size: None,
                },
                AssembleLayer {
                    diff_id: "sha256:b".into(),
                    how: "delta",
                    piece: Some("d1".into()),
                    base: Some("sha256:b0".into()),
                    base_size: Some(5120),
                },
            ],
            save: vec!["sha256:old".into()],
        };
        let cmd = assemble("/usr/libexec/platform-python", &plan);
        assert_eq!(&cmd.argv[..2], &["/usr/libexec/platform-python", "-"]);
        assert_eq!(cmd.stdin_prelude(), ASSEMBLE_PY.as_bytes());
        assert_eq!(
            cmd.argv[2],
            r#"{"docker":["sudo","-n","docker"],"cache":".ferry/cache/hello","tag":"hello:1","config":{"piece":"c0","digest":"sha256:c0"},"layers":[{"diff_id":"sha256:a","how":"have"},{"diff_id":"sha256:b","how":"delta","piece":"d1","base":"sha256:b0","base_size":5120}],"save":["sha256:old"]}"#
        );
    }

    #[test]
    fn load_piece_and_remove_pieces_are_pinned() {
        assert_eq!(
            load_piece(DockerCli::default(), ".ferry/cache/hello", "ab").shell(),
            "docker load --input .ferry/cache/hello/ab"
        );
        assert_eq!(
            remove_pieces(".ferry/cache/hello", &["ab".into(), "cd".into()]).shell(),
            format!(
                "sh -c {} sh .ferry/cache/hello ab cd",
                crate::adapters::remote::quote(REMOVE)
            )
        );
    }
}
