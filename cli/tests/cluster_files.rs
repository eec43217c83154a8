//! The files a cluster user copies: the Kubernetes Indexed Job manifest
//! parses as YAML and asks for a sharded sweep consistently, and the Slurm
//! end-to-end script is where `.ci/run` expects it.
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use yaml_rust2::{Yaml, YamlLoader};

fn repository(path: &str) -> String {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

#[test]
fn the_kubernetes_manifest_is_an_indexed_job_of_one_pod_per_shard() {
    let docs = YamlLoader::load_from_str(&repository("docs/k8s-sweep-job.yaml")).unwrap();
    assert_eq!(docs.len(), 1, "one document");
    let job = &docs[0];
    assert_eq!(job["apiVersion"].as_str(), Some("batch/v1"));
    assert_eq!(job["kind"].as_str(), Some("Job"));
    let spec = &job["spec"];
    assert_eq!(spec["completionMode"].as_str(), Some("Indexed"));
    let completions = spec["completions"].as_i64().unwrap();
    assert!(spec["parallelism"].as_i64().unwrap() <= completions);
    let pod = &spec["template"]["spec"];
    assert_eq!(pod["restartPolicy"].as_str(), Some("Never"));
    let container = &pod["containers"][0];
    assert!(!container["image"].is_badvalue());
    let command: Vec<&str> = container["command"]
        .as_vec()
        .unwrap()
        .iter()
        .chain(container["args"].as_vec().unwrap())
        .filter_map(Yaml::as_str)
        .collect();
    let line = command.join(" ");
    assert!(line.contains("social-loop sweep "), "{line}");
    assert!(line.contains(&format!("--shards {completions} ")), "{line}");
    assert!(line.contains("${JOB_COMPLETION_INDEX}"), "{line}");
    // Every pod mounts the volume the parts go to.
    let mount = container["volumeMounts"][0]["name"].as_str().unwrap();
    assert_eq!(pod["volumes"][0]["name"].as_str(), Some(mount));
}

#[test]
fn ci_runs_the_slurm_end_to_end_script() {
    let ci = repository(".ci/run");
    assert!(ci.contains("bash scripts/slurm-e2e.sh"), "{ci}");
    let script = repository("scripts/slurm-e2e.sh");
    assert!(script.contains("sbatch --parsable --wait --array="));
    assert!(script.contains("trap cleanup EXIT"));
}
