//! Building a run's population: the network (generated or given), each
//! customer's profile and starting state. Drawn once from the master seed and
//! shared by every counterfactual run of an attribution.

use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use super::rng::{BLOCK, Phase, chance, stream, uniform};
use super::scenario::{GeneratedNetwork, NetworkModel, NetworkSpec, PopulationSpec, Scenario};
use crate::brand::Target;
use crate::customer::{CustomerState, Profile, Sentiment, Stage};
use crate::error::Result;
use crate::network::{InfluenceNetwork, MicroCommunities, TieSign};
use crate::propagation::CompiledNetwork;

/// A scenario's population before the first period: the compiled network,
/// every customer's profile and starting state.
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) net: CompiledNetwork,
    /// The expanded profiles (profile x attention phase).
    pub(crate) profiles: Vec<Profile>,
    /// Each customer's index into `profiles`.
    pub(crate) profile_of: Vec<u16>,
    /// Each customer's starting state, seeds applied.
    pub(crate) states: Vec<CustomerState>,
}

impl World {
    /// Builds the network and the population of a validated `scenario`, and
    /// checks every id the scenario names (seeds, engagement targets) and the
    /// word-of-mouth model's demands on the network.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`](crate::Error::UnknownCustomer) for an id not in
    /// the network; [`Error::ThresholdWeights`](crate::Error::ThresholdWeights)
    /// for Linear Threshold word of mouth on weights that add up above 1; the
    /// generators' errors.
    pub(crate) fn build(scenario: &Scenario) -> Result<World> {
        let (net, community) = build_network(&scenario.network, scenario.seed)?;
        scenario.word_of_mouth.propagation_model().validate(&net)?;
        let n = net.node_count();
        let expanded = Profiles::new(&scenario.population);
        let (mut states, profile_of) =
            initial_states(&scenario.population, &expanded, n, community, scenario.seed);
        for e in scenario.engagements.engagements() {
            if let Target::Customer(id) = e.target() {
                net.node_of(id.as_str())?;
            }
        }
        for id in &scenario.seeds.advocates {
            if let Some(state) = states.get_mut(net.node_of(id.as_str())? as usize) {
                *state = CustomerState::new(Stage::Advocate).with_sentiment(state.sentiment());
            }
        }
        for id in &scenario.seeds.adversaries {
            if let Some(state) = states.get_mut(net.node_of(id.as_str())? as usize) {
                *state = CustomerState::new(Stage::Adversary)
                    .with_ever_bought(state.ever_bought())
                    .with_sentiment(state.sentiment());
            }
        }
        Ok(World {
            net,
            profiles: expanded.table,
            profile_of,
            states,
        })
    }
}

/// Builds (or compiles) the network of a scenario.
///
/// A generated network draws from the stream `(seed, 0, Network)`; its
/// distrustful ties from `(seed, 0, Distrust)`, one draw per tie in tie
/// order. Returns the compiled network and, for micro-communities, the size of
/// each (equal) community.
pub(crate) fn build_network(
    spec: &NetworkSpec,
    seed: u64,
) -> Result<(CompiledNetwork, Option<usize>)> {
    match spec {
        NetworkSpec::Explicit(net) => Ok((CompiledNetwork::from_network(net), None)),
        NetworkSpec::File(file) => Ok((CompiledNetwork::from_network(&file.read()?), None)),
        NetworkSpec::Generated(g) => {
            let (net, community) = generate(g, seed)?;
            Ok((CompiledNetwork::from_network(&net), community))
        }
    }
}

fn generate(g: &GeneratedNetwork, seed: u64) -> Result<(InfluenceNetwork, Option<usize>)> {
    let mut rng = stream(seed, 0, Phase::Network);
    let p = g.tie_probability;
    let (mut net, community) = match &g.model {
        NetworkModel::MicroCommunities {
            communities,
            size,
            friends_inside,
            friends_outside,
        } => {
            let spec = MicroCommunities::with_mean_degrees(
                *communities,
                *size,
                *friends_inside,
                *friends_outside,
            )
            .map_err(|e| e.within("network"))?;
            (spec.generate_with(p, &mut rng)?, Some(*size))
        }
        NetworkModel::BarabasiAlbert(m) => (m.generate_with(p, &mut rng)?, None),
        NetworkModel::WattsStrogatz(m) => (m.generate_with(p, &mut rng)?, None),
    };
    let distrust = g.distrust.get();
    if distrust > 0.0 {
        let mut rng = stream(seed, 0, Phase::Distrust);
        for tie in net.ties_mut() {
            if chance(&mut rng, distrust) {
                tie.sign = TieSign::Negative;
            }
        }
    }
    Ok((net, community))
}

/// Every profile a customer can have: each of the scenario's profiles at each
/// phase of its attention rhythm. Customer `i` has `profiles[profile_of[i]]`.
#[derive(Debug, Clone)]
pub(crate) struct Profiles {
    /// The expanded profiles (profile x attention phase).
    pub(crate) table: Vec<Profile>,
    /// For each scenario profile, the index of its phase-0 entry in `table`.
    first: Vec<usize>,
    /// Cumulative weights of the scenario's profiles, normalised to end at 1.
    cumulative: Vec<f64>,
}

impl Profiles {
    pub(crate) fn new(spec: &PopulationSpec) -> Self {
        let mut table = Vec::new();
        let mut first = Vec::with_capacity(spec.profiles.len());
        for p in &spec.profiles {
            first.push(table.len());
            let every = p.profile.attention_every.max(1); // validated >= 1
            for offset in 0..every {
                table.push(Profile {
                    attention_every: every,
                    attention_offset: offset,
                    ..p.profile.clone()
                });
            }
        }
        let total: f64 = spec.profiles.iter().map(|p| p.share).sum();
        let mut acc = 0.0;
        let cumulative = spec
            .profiles
            .iter()
            .map(|p| {
                acc += p.share / total;
                acc
            })
            .collect();
        Profiles {
            table,
            first,
            cumulative,
        }
    }

    /// Picks a scenario profile by its share.
    fn pick(&self, u: f64) -> usize {
        self.cumulative
            .iter()
            .position(|&c| u < c)
            .unwrap_or(self.cumulative.len().saturating_sub(1))
    }

    /// The table index of scenario profile `profile` at a random phase.
    fn with_phase(&self, profile: usize, rng: &mut Xoshiro256PlusPlus) -> u16 {
        let first = self.first.get(profile).copied().unwrap_or(0);
        let every = self
            .table
            .get(first)
            .map_or(1, |p| p.attention_every.max(1));
        let phase = (uniform(rng) * f64::from(every)) as usize;
        (first + phase.min(every as usize - 1)) as u16
    }
}

/// The starting state of every customer and their profile index.
///
/// Community profiles (with micro-communities) are drawn first, one per
/// community, from the stream `(seed, 0, Communities)`; then each block of
/// customers draws, per customer in order, from `(seed, block, Population)`:
/// the stage (by the initial shares), a sentiment uniform in `[-0.3, 0.7]`
/// (moved into the stage's band), whether they take their community's profile
/// (homophily) or draw their own, and their attention phase.
pub(crate) fn initial_states(
    spec: &PopulationSpec,
    profiles: &Profiles,
    customers: usize,
    community_size: Option<usize>,
    seed: u64,
) -> (Vec<CustomerState>, Vec<u16>) {
    let community_profiles: Vec<usize> = match community_size {
        Some(size) if size > 0 => {
            let mut rng = stream(seed, 0, Phase::Communities);
            (0..customers.div_ceil(size))
                .map(|_| profiles.pick(uniform(&mut rng)))
                .collect()
        }
        _ => Vec::new(),
    };
    let mut cumulative = [0.0; 7];
    let mut acc = 0.0;
    for (slot, stage) in cumulative.iter_mut().zip(Stage::ALL) {
        acc += spec.initial.get(stage);
        *slot = acc;
    }
    let homophily = spec.homophily.get();
    let mut states = vec![CustomerState::default(); customers];
    let mut profile_of = vec![0u16; customers];
    states
        .par_chunks_mut(BLOCK)
        .zip(profile_of.par_chunks_mut(BLOCK))
        .enumerate()
        .for_each(|(block, (states, profile_of))| {
            let mut rng = stream(seed, block, Phase::Population);
            for (k, (state, profile)) in states.iter_mut().zip(profile_of.iter_mut()).enumerate() {
                let i = block * BLOCK + k;
                let u = uniform(&mut rng) * acc;
                let stage = cumulative
                    .iter()
                    .position(|&c| u < c)
                    .and_then(|s| Stage::ALL.get(s).copied())
                    .unwrap_or(Stage::Unaware);
                let sentiment = Sentiment::saturating((uniform(&mut rng) as f32) - 0.3);
                *state = CustomerState::new(stage).with_sentiment(sentiment);
                let community = community_size
                    .and_then(|size| community_profiles.get(i / size.max(1)))
                    .copied();
                let own = profiles.pick(uniform(&mut rng));
                let chosen = match community {
                    Some(c) if chance(&mut rng, homophily) => c,
                    _ => own,
                };
                *profile = profiles.with_phase(chosen, &mut rng);
            }
        });
    (states, profile_of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::StageMix;

    #[test]
    fn initial_stages_follow_the_mix_and_profiles_cluster_in_communities() {
        let spec = PopulationSpec {
            homophily: crate::Probability::ONE,
            ..PopulationSpec::default()
        };
        let profiles = Profiles::new(&spec);
        // 4 scenario profiles, each with 2 attention phases.
        assert_eq!(profiles.table.len(), 8);
        let (states, profile_of) = initial_states(&spec, &profiles, 20_000, Some(50), 3);
        let share = |stage| {
            states.iter().filter(|s| s.stage() == stage).count() as f64 / states.len() as f64
        };
        // Binomial sd at n = 20000, p = 0.6 is 0.0035; allow 5 sd.
        assert!((share(Stage::Unaware) - 0.6).abs() < 0.0175);
        assert!((share(Stage::Customer) - 0.08).abs() < 0.01);
        // With homophily 1 every member of a community has its profile.
        for community in profile_of.chunks(50) {
            let base = |ix: u16| profiles.table[ix as usize].interests.clone();
            assert!(community.iter().all(|&ix| base(ix) == base(community[0])));
        }
        let all_aware = PopulationSpec {
            initial: StageMix::all(Stage::Aware),
            ..spec
        };
        let (states, _) = initial_states(&all_aware, &profiles, 100, None, 3);
        assert!(states.iter().all(|s| s.stage() == Stage::Aware));
    }

    #[test]
    fn generated_network_is_seeded_and_distrust_flips_ties() {
        let g = GeneratedNetwork {
            distrust: crate::Probability::saturating(0.5),
            ..GeneratedNetwork::micro_communities(1_000, 50, 10.0).unwrap()
        };
        let spec = NetworkSpec::Generated(g);
        let (a, size) = build_network(&spec, 9).unwrap();
        let (b, _) = build_network(&spec, 9).unwrap();
        assert_eq!(size, Some(50));
        assert_eq!(a.targets(), b.targets());
        let negative = (0..a.arc_count() as u32)
            .filter(|&k| a.is_negative(k))
            .count();
        let share = negative as f64 / a.arc_count() as f64;
        assert!((share - 0.5).abs() < 0.03, "{share}");
        let mean_degree = a.arc_count() as f64 / a.node_count() as f64;
        assert!((mean_degree - 10.0).abs() < 0.5, "{mean_degree}");
    }
}
