//! Invariants of the model and the native format: model → JSON → model is the
//! identity; validation never panics and is deterministic; a model that validates
//! clean loads through the native loader unchanged.

#[path = "common/strategy.rs"]
mod strategy;

use lztwin::diag::Severity;
use lztwin::model::{validate::validate, Model};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn model_json_round_trip(m in strategy::model()) {
        let compact = serde_json::to_string(&m).unwrap();
        let back: Model = serde_json::from_str(&compact).unwrap();
        prop_assert_eq!(&back, &m);
        let pretty = serde_json::to_vec_pretty(&m).unwrap();
        let back: Model = serde_json::from_slice(&pretty).unwrap();
        prop_assert_eq!(&back, &m);
        // Serialising is deterministic.
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), compact);
    }

    #[test]
    fn validation_never_panics_and_is_deterministic(m in strategy::model()) {
        let a = validate(&m);
        let b = validate(&m.clone());
        prop_assert_eq!(&a, &b);
        for p in &a {
            prop_assert!(p.path.starts_with('/'), "{:?}", p);
            prop_assert!(!p.message.is_empty());
        }
        // The native loader agrees: it fails exactly when validation finds an error.
        let bytes = serde_json::to_vec(&m).unwrap();
        let has_error = a.iter().any(|p| p.severity == Severity::Error);
        match lztwin::ingest::native::parse(&bytes, "gen.json") {
            Ok(l) => {
                prop_assert!(!has_error);
                prop_assert_eq!(l.model, m);
            }
            Err(e) => {
                prop_assert!(has_error);
                prop_assert!(e.diagnostics.iter().all(|d| d.file == "gen.json"));
            }
        }
    }
}

#[test]
fn reference_and_minimal_round_trip() {
    for text in [
        include_str!("../scenarios/landing-zone.json"),
        include_str!("../scenarios/examples/minimal.json"),
    ] {
        let m: Model = serde_json::from_str(text).unwrap();
        let back: Model = serde_json::from_str(&serde_json::to_string_pretty(&m).unwrap()).unwrap();
        assert_eq!(back, m);
        assert!(validate(&m).is_empty(), "{:?}", validate(&m));
    }
}
