//! `metadata.recovery.strategy` (KIP-899): when no broker of the last known
//! metadata answers, a `rebootstrap` client asks its `bootstrap.servers`
//! again; a `none` client keeps asking the known ones. The bootstrap server
//! is a fake broker whose metadata names one broker at an address where
//! nothing listens, so the known brokers never answer.

mod broker_support;

use broker_support::{FakeBroker, connect_cluster, presets};
use krafka_client::ClientConfig;

/// An address where nothing listens (a port bound and let go).
async fn dead_address() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    listener.local_addr().expect("address").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_whose_known_brokers_are_all_gone_asks_the_bootstrap_servers_again() {
    let dead = dead_address().await;
    let fake = FakeBroker::start(presets::metadata_naming(&dead)).await;
    for (strategy, recovers) in [("rebootstrap", true), ("none", false)] {
        let config = ClientConfig::from_properties([
            ("bootstrap.servers", fake.addr.as_str()),
            ("metadata.recovery.strategy", strategy),
            ("retry.backoff.ms", "10"),
            ("retry.backoff.max.ms", "50"),
            ("reconnect.backoff.ms", "10"),
            ("reconnect.backoff.max.ms", "50"),
            ("default.api.timeout.ms", "2000"),
        ])
        .expect("config");
        let cluster = connect_cluster(config).await.expect("bootstrap");
        let known: Vec<String> = cluster
            .metadata()
            .brokers
            .values()
            .map(|b| b.address())
            .collect();
        assert_eq!(known, std::slice::from_ref(&dead), "the fake's metadata");
        let asked = fake.metadata_requests();
        let refreshed = cluster.refresh_metadata().await;
        if recovers {
            refreshed.unwrap_or_else(|e| panic!("{strategy}: refresh failed: {e}"));
            assert_eq!(fake.metadata_requests(), asked + 1, "{strategy}");
        } else {
            assert!(
                refreshed.is_err(),
                "{strategy}: only the dead broker was asked"
            );
            assert_eq!(fake.metadata_requests(), asked, "{strategy}");
        }
    }
}
