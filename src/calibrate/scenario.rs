//! A calibration written into a scenario, and [`Scenario::from_book`].

use serde_json::Value;

use super::{Calibration, EstimateSource};
use crate::Stage;
use crate::crm::CustomerBook;
use crate::error::{Error, Result};
use crate::network::InfluenceNetwork;
use crate::sim::{NetworkSpec, Scenario, Seeds};

/// `scenario` with the fitted parameters of `calibration`, its period and
/// currency.
pub(super) fn apply(calibration: &Calibration, scenario: &Scenario) -> Result<Scenario> {
    let mut json = serde_json::to_value(scenario.clone().period(calibration.period))
        .map_err(|e| Error::invalid("scenario", e.to_string()))?;
    for (path, e) in &calibration.parameters {
        if e.source != EstimateSource::Fitted {
            continue;
        }
        // An explicit network keeps its ties' own probabilities.
        if path == super::TIE_PROBABILITY && json.pointer("/network/generated").is_none() {
            continue;
        }
        let value = if path == "prices.unit_price" {
            Value::from(format!("{:.2}", e.estimate.max(0.0)))
        } else {
            Value::from(e.estimate.clamp(0.0, 1.0))
        };
        crate::sweep::set_path(&mut json, path, &value).map_err(|err| err.within("calibration"))?;
    }
    if let (Some(c), Some(fields)) = (calibration.currency, json.as_object_mut()) {
        fields.insert("currency".into(), Value::from(c.as_str()));
    }
    // Shares rounded by floating point: make them sum to exactly 1 again.
    if let Some(Value::Object(mix)) = json.pointer_mut("/population/initial") {
        let sum: f64 = mix.values().filter_map(Value::as_f64).sum();
        if sum > 0.0 {
            for v in mix.values_mut() {
                if let Some(x) = v.as_f64() {
                    *v = Value::from(x / sum);
                }
            }
        }
    }
    let text =
        serde_json::to_string(&json).map_err(|e| Error::invalid("scenario", e.to_string()))?;
    Scenario::from_json(&text)
}

impl Scenario {
    /// The scenario of a CRM's own customers: the book's influence network
    /// (every customer of the book, with the ties its relationship events
    /// grew), its current advocates and adversaries as seeds by id, and the
    /// rates, stage shares and price of `calibration` (the rest the
    /// defaults of [`Scenario::default`], the engagement plan included). Run
    /// ownership models, engagement plans and seeding on it as what-ifs.
    ///
    /// # Errors
    /// As [`Calibration::apply`].
    ///
    /// # Complexity
    /// O(customers + ties).
    pub fn from_book(book: &CustomerBook, calibration: &Calibration) -> Result<Scenario> {
        let mut network: InfluenceNetwork = book.network().clone();
        let mut advocates = Vec::new();
        let mut adversaries = Vec::new();
        for (id, state) in book.customers() {
            network.add_customer(id.clone());
            match state.stage() {
                Stage::Advocate => advocates.push(id.clone()),
                Stage::Adversary => adversaries.push(id.clone()),
                _ => {}
            }
        }
        let base = Scenario::default()
            .network(NetworkSpec::Explicit(network))
            .seeds(Seeds::new().advocates(advocates).adversaries(adversaries));
        calibration.apply(&base)
    }
}
