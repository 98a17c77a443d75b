//! Properties of the matrix engines on generated estates.

use lztwin::analysis::matrix::{compute, Engine, GroupBy, MatrixOptions};
use lztwin::dataplane::Dataplane;
use lztwin::ingest::synthetic::{generate, SyntheticOptions};
use lztwin::model::Protocol;
use proptest::prelude::*;

fn estate() -> impl Strategy<Value = SyntheticOptions> {
    (1usize..6, 1usize..4, 1usize..4, any::<u64>()).prop_map(|(vpcs, azs, spv, seed)| {
        SyntheticOptions {
            vpcs,
            accounts: None,
            azs,
            subnets_per_vpc: spv,
            seed,
        }
    })
}

fn service() -> impl Strategy<Value = (Protocol, u16, bool)> {
    (
        prop_oneof![
            Just(Protocol::Tcp),
            Just(Protocol::Udp),
            Just(Protocol::All)
        ],
        prop_oneof![Just(22u16), Just(53), Just(443), Just(8443)],
        any::<bool>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// The fast engine equals the per-pair reference cell for cell.
    #[test]
    fn fast_equals_per_pair(o in estate(), (protocol, dst_port, both_ways) in service()) {
        let m = generate(&o).unwrap();
        let dp = Dataplane::compile(&m);
        let base = MatrixOptions { protocol, dst_port, both_ways, group_by: Some(GroupBy::Account), engine: Engine::Fast };
        let fast = compute(&dp, &m, &base);
        let slow = compute(&dp, &m, &MatrixOptions { engine: Engine::PerPair, ..base });
        prop_assert_eq!(fast.cell_count(), slow.cell_count());
        for (a, b) in fast.cells().zip(slow.cells()) {
            prop_assert_eq!((a.src, a.dst), (b.src, b.dst));
            prop_assert_eq!(a.fwd.verdict, b.fwd.verdict);
            prop_assert_eq!(a.fwd.hops, b.fwd.hops);
            prop_assert_eq!(fast.detail(&a.fwd), slow.detail(&b.fwd));
            prop_assert_eq!(a.ret.map(|r| (r.verdict, r.hops)), b.ret.map(|r| (r.verdict, r.hops)));
        }
        prop_assert_eq!(serde_json::to_string(&fast).unwrap(), serde_json::to_string(&slow).unwrap());
    }

    /// Same bytes whatever the thread count.
    #[test]
    fn output_independent_of_threads(o in estate()) {
        let m = generate(&o).unwrap();
        let dp = Dataplane::compile(&m);
        let opts = MatrixOptions { both_ways: true, ..MatrixOptions::default() };
        let run = |threads| {
            rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap()
                .install(|| serde_json::to_string(&compute(&dp, &m, &opts)).unwrap())
        };
        prop_assert_eq!(run(1), run(3));
    }

    /// Group counts add up to the endpoint cells, whatever the grouping.
    #[test]
    fn groups_partition_cells(o in estate(), g in prop_oneof![Just(GroupBy::Subnet), Just(GroupBy::Vpc), Just(GroupBy::Account), Just(GroupBy::Environment)]) {
        let m = generate(&o).unwrap();
        let dp = Dataplane::compile(&m);
        let mx = compute(&dp, &m, &MatrixOptions { group_by: Some(g), ..MatrixOptions::default() });
        let (_, groups) = mx.aggregate(g);
        prop_assert_eq!(groups.iter().map(|c| c.total).sum::<usize>(), mx.cell_count());
        let (_, reachable, inspected) = mx.totals();
        prop_assert_eq!(groups.iter().map(|c| c.reachable).sum::<usize>(), reachable);
        prop_assert_eq!(groups.iter().map(|c| c.inspected).sum::<usize>(), inspected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3))]

    /// Larger estates: enough VPCs that sources share suffixes across classes, AZs and
    /// hash buckets, and that firewall rules naming one VPC pair refine some columns only.
    #[test]
    fn fast_equals_per_pair_on_larger_estates(vpcs in 12usize..40, azs in 2usize..4, seed in any::<u64>(), both_ways in any::<bool>()) {
        let m = generate(&SyntheticOptions { vpcs, accounts: None, azs, subnets_per_vpc: 3, seed }).unwrap();
        let dp = Dataplane::compile(&m);
        let base = MatrixOptions { both_ways, ..MatrixOptions::default() };
        let fast = compute(&dp, &m, &base);
        let slow = compute(&dp, &m, &MatrixOptions { engine: Engine::PerPair, ..base });
        prop_assert_eq!(serde_json::to_string(&fast).unwrap(), serde_json::to_string(&slow).unwrap());
        prop_assert!(fast == slow);
    }
}
