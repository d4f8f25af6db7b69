//! Version negotiation against real brokers: Kafka 4.4.0 and the older 3.9.2.

mod broker_support;

use broker_support::{connect, create_topic, old, single, unique_topic};
use krafka_client::Connection;
use krafka_core::ApiKey;
use krafka_core::messages::metadata::MetadataRequestTopic;
use krafka_core::messages::{ApiVersionsRequest, MetadataRequest};
use krafka_core::versions;

/// The expected negotiated version, computed from the two ranges by hand.
fn intersection(client: (i16, i16), broker: Option<(i16, i16)>, api: ApiKey) -> Option<i16> {
    let (mut cmin, cmax) = client;
    if api == ApiKey::Produce {
        cmin = cmin.max(versions::PRODUCE_MIN);
    }
    let (bmin, bmax) = broker?;
    let lo = cmin.max(bmin);
    let hi = cmax.min(bmax);
    (lo <= hi).then_some(hi)
}

/// Asks the broker for its ranges once more (a plain ApiVersions v0 request on
/// the open connection) and checks every API's negotiated version against
/// the intersection of those ranges with krafka's.
async fn check_intersection(conn: &Connection) -> usize {
    let fresh = conn
        .send(&ApiVersionsRequest::default(), 0)
        .await
        .expect("ApiVersions v0");
    assert_eq!(fresh.error_code, 0);
    let broker = |api: ApiKey| {
        fresh
            .api_keys
            .iter()
            .find(|k| k.api_key == api.key())
            .map(|k| (k.min_version, k.max_version))
    };
    let mut checked = 0;
    for api in ApiKey::ALL {
        let Some(client) = versions::supported(api) else {
            continue;
        };
        let expected = intersection(client, broker(api), api);
        assert_eq!(
            conn.api_versions().broker_range(api),
            broker(api),
            "{api}: stored range"
        );
        assert_eq!(
            conn.negotiate_api_version(api, client.1, client.0).await,
            expected,
            "{api}: client {client:?}, broker {:?}",
            broker(api)
        );
        assert_eq!(
            conn.api_versions().negotiate_supported(api),
            expected,
            "{api}"
        );
        checked += 1;
    }
    checked
}

#[tokio::test]
async fn negotiated_versions_are_the_intersection_on_kafka_4_4() {
    let conn = connect(&single()).await;
    // Kafka 4.4.0 speaks every version krafka does (both are 4.4.0's schemas).
    assert_eq!(
        conn.api_versions_version(),
        Some(
            versions::API_VERSIONS_MAX.min(
                conn.api_versions()
                    .broker_range(ApiKey::ApiVersions)
                    .unwrap()
                    .1
            )
        )
    );
    let checked = check_intersection(&conn).await;
    assert!(checked >= 70, "only {checked} APIs checked");
    for api in [
        ApiKey::Metadata,
        ApiKey::Fetch,
        ApiKey::Produce,
        ApiKey::CreateTopics,
    ] {
        let (_, max) = versions::supported(api).unwrap();
        assert_eq!(
            conn.api_versions().negotiate_supported(api),
            Some(max),
            "{api}: a 4.4.0 broker supports krafka's newest version"
        );
    }
    // The guide's examples, as written.
    assert_eq!(
        conn.negotiate_api_version(ApiKey::Fetch, 12, 4).await,
        Some(12)
    );
    assert_eq!(
        conn.negotiate_api_version_max(ApiKey::Produce, 9).await,
        Some(9)
    );
    // Produce's advertised v0-2 are not trusted.
    assert_eq!(
        conn.api_versions()
            .broker_range(ApiKey::Produce)
            .map(|r| r.0),
        Some(0)
    );
    assert_eq!(
        conn.negotiate_api_version_max(ApiKey::Produce, 2).await,
        None
    );
}

#[tokio::test]
async fn older_broker_gets_lower_versions_and_requests_still_work() {
    let new = connect(&single()).await;
    let old_conn = connect(&old()).await;
    let checked = check_intersection(&old_conn).await;
    assert!(checked >= 50, "only {checked} APIs checked");

    // 3.9 lacks the newest versions of several APIs: negotiation goes lower.
    let mut lower = Vec::new();
    for api in ApiKey::ALL {
        let (Some(n), Some(o)) = (
            new.api_versions().negotiate_supported(api),
            old_conn.api_versions().negotiate_supported(api),
        ) else {
            continue;
        };
        assert!(o <= n, "{api}: old broker negotiated {o} > {n}");
        if o < n {
            lower.push((api, o, n));
        }
    }
    eprintln!("APIs negotiated lower on 3.9.2 (api, old, new): {lower:?}");
    eprintln!(
        "ApiVersions handshake: v{:?} on 3.9.2, v{:?} on 4.4.0",
        old_conn.api_versions_version(),
        new.api_versions_version()
    );
    assert!(
        !lower.is_empty(),
        "3.9.2 should lack some of 4.4.0's versions"
    );
    // 3.9.2 does not speak ApiVersions v5: it answered the first attempt with
    // UNSUPPORTED_VERSION and its range, and the handshake was repeated lower.
    let old_api_versions_max = old_conn
        .api_versions()
        .broker_range(ApiKey::ApiVersions)
        .unwrap()
        .1;
    assert!(old_api_versions_max < versions::API_VERSIONS_MAX);
    assert_eq!(old_conn.api_versions_version(), Some(old_api_versions_max));
    let metadata_old = old_conn.version_for::<MetadataRequest>().unwrap();
    let metadata_new = new.version_for::<MetadataRequest>().unwrap();
    assert!(
        metadata_old < metadata_new,
        "Metadata: 3.9.2 v{metadata_old}, 4.4.0 v{metadata_new}"
    );

    // Requests at the lower versions work: create a topic, read it back.
    let topic = unique_topic("old");
    let created = create_topic(&old_conn, &topic, 2, 1).await;
    assert_eq!(created.num_partitions, 2);
    let request = MetadataRequest {
        topics: Some(vec![MetadataRequestTopic {
            name: Some(topic.clone()),
            ..Default::default()
        }]),
        allow_auto_topic_creation: false,
        ..Default::default()
    };
    // The broker's metadata cache may lag CreateTopics by a moment.
    let mut metadata = old_conn
        .send_negotiated(&request)
        .await
        .expect("Metadata on 3.9.2");
    for _ in 0..50 {
        if metadata.topics[0].error_code == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        metadata = old_conn
            .send_negotiated(&request)
            .await
            .expect("Metadata on 3.9.2");
    }
    assert_eq!(metadata.brokers.len(), 1);
    let t = &metadata.topics[0];
    assert_eq!(t.name.as_deref(), Some(topic.as_str()));
    assert_eq!(t.error_code, 0);
    assert_eq!(t.partitions.len(), 2);
    assert_eq!(t.topic_id, created.topic_id);
}
