//! Which shard of a sweep this task runs: `--shard I/M`, or the index a batch
//! scheduler gives the task.
//!
//! * `--shard I/M`: shard `I` of `M`, whatever the environment.
//! * `--shards M`: shard `I` of `M` with `I` from the scheduler:
//!   `SLURM_ARRAY_TASK_ID` minus `SLURM_ARRAY_TASK_MIN` (a Slurm job array,
//!   `sbatch --array=0-3` or `1-4` alike), else `JOB_COMPLETION_INDEX` (a
//!   Kubernetes Indexed Job). Under Slurm, `SLURM_ARRAY_TASK_COUNT` must be `M`.
//! * Neither flag, in a Slurm job array (`SLURM_ARRAY_TASK_ID` and
//!   `SLURM_ARRAY_TASK_COUNT` set): shard `ID - MIN` of `COUNT`. Give
//!   `--shard 0/1` to run the whole sweep in every task instead.
//! * Otherwise the sweep is not sharded.

use social_loop::sweep::Shard;

use crate::Failure;

/// Reads an environment variable (a function, so tests can pass their own).
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The shard to run, if any, from the flags and the environment.
pub fn choose(
    shard: Option<Shard>,
    shards: Option<u32>,
    env: Env<'_>,
) -> Result<Option<Shard>, Failure> {
    if let Some(shard) = shard {
        return Ok(Some(shard));
    }
    let number = |name: &str| -> Result<Option<u32>, Failure> {
        env(name)
            .map(|v| {
                v.trim()
                    .parse::<u32>()
                    .map_err(|_| Failure(format!("{name}={v} is not a task number")))
            })
            .transpose()
    };
    let slurm_id = number("SLURM_ARRAY_TASK_ID")?;
    let slurm_min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
    let slurm_count = number("SLURM_ARRAY_TASK_COUNT")?;
    let slurm_index = || {
        slurm_id.map(|id| {
            id.checked_sub(slurm_min).ok_or_else(|| {
                Failure(format!(
                    "SLURM_ARRAY_TASK_ID={id} is below SLURM_ARRAY_TASK_MIN={slurm_min}"
                ))
            })
        })
    };
    let bad = |e: social_loop::Error| Failure(format!("--shard: {}", e.reason().unwrap_or("?")));
    match shards {
        Some(count) => {
            if let Some(slurm) = slurm_count.filter(|&c| slurm_id.is_some() && c != count) {
                return Err(Failure(format!(
                    "--shards {count}, but this Slurm job array has {slurm} tasks (SLURM_ARRAY_TASK_COUNT)"
                )));
            }
            let index = match (slurm_index().transpose()?, number("JOB_COMPLETION_INDEX")?) {
                (Some(i), _) | (None, Some(i)) => i,
                (None, None) => {
                    return Err(Failure(format!(
                        "--shards {count} needs the task's index from the scheduler: \
                         SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX \
                         (a Kubernetes Indexed Job); or give --shard I/{count}"
                    )));
                }
            };
            Shard::new(index, count).map(Some).map_err(bad)
        }
        None => match (slurm_index().transpose()?, slurm_count) {
            (Some(index), Some(count)) => Shard::new(index, count).map(Some).map_err(bad),
            _ => Ok(None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name: &str| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    fn shard(i: u32, m: u32) -> Option<Shard> {
        Some(Shard::new(i, m).unwrap())
    }

    #[test]
    fn flags_then_slurm_then_kubernetes() {
        let none = with(&[]);
        assert_eq!(choose(None, None, &none).unwrap(), None);
        assert_eq!(choose(shard(1, 3), None, &none).unwrap(), shard(1, 3));
        let slurm = with(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(choose(None, None, &slurm).unwrap(), shard(2, 4));
        assert_eq!(choose(None, Some(4), &slurm).unwrap(), shard(2, 4));
        assert!(
            choose(None, Some(5), &slurm)
                .unwrap_err()
                .0
                .contains("has 4 tasks")
        );
        // The flag wins over the environment.
        assert_eq!(choose(shard(0, 1), None, &slurm).unwrap(), shard(0, 1));
        let k8s = with(&[("JOB_COMPLETION_INDEX", "2")]);
        assert_eq!(choose(None, None, &k8s).unwrap(), None);
        assert_eq!(choose(None, Some(3), &k8s).unwrap(), shard(2, 3));
        assert!(choose(None, Some(2), &k8s).is_err());
        assert!(
            choose(None, Some(2), &none)
                .unwrap_err()
                .0
                .contains("JOB_COMPLETION_INDEX")
        );
        let garbage = with(&[("JOB_COMPLETION_INDEX", "two")]);
        assert!(choose(None, Some(3), &garbage).is_err());
    }
}
