//! The API version ranges a broker advertises, and picking the version both
//! sides speak.

use std::collections::BTreeMap;

use krafka_core::ApiKey;
use krafka_core::messages::ApiVersionsResponse;
use krafka_core::versions;

/// The oldest Metadata version the client sends. Its Metadata requests
/// always say `allow_auto_topic_creation` (false: the client never creates
/// topics by asking about them), a field that exists from v4 on; below it a
/// broker would create the topics as a side effect, so, as in the Java
/// client, v0-v3 are not used. Every broker that speaks Produce v3, the
/// oldest Produce krafka sends, speaks Metadata v4 (both came with Kafka
/// 0.11), so no broker krafka can produce to is lost.
pub(crate) const METADATA_CLIENT_MIN: i16 =
    krafka_core::messages::MetadataRequest::ALLOW_AUTO_TOPIC_CREATION_VERSIONS.min;

/// The oldest version of `api` the client sends, where that is above the
/// oldest version the codec speaks ([`versions::supported`]): brokers still
/// advertise Produce from v0 but Kafka 4 rejects v0-v2 (KAFKA-18659), and
/// Metadata starts at [`METADATA_CLIENT_MIN`].
pub(crate) const fn client_floor(api: ApiKey) -> i16 {
    match api {
        ApiKey::Produce => versions::PRODUCE_MIN,
        ApiKey::Metadata => METADATA_CLIENT_MIN,
        _ => 0,
    }
}

/// The `(min, max)` version range a broker advertised for each API key, from
/// its ApiVersions response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiVersionRanges {
    ranges: BTreeMap<i16, (i16, i16)>,
    /// The cluster's finalized feature levels (ApiVersions v3+), by name.
    finalized: BTreeMap<String, i16>,
}

impl ApiVersionRanges {
    /// The ranges of an ApiVersions response (entries with `min > max` are dropped).
    pub fn from_response(response: &ApiVersionsResponse) -> Self {
        let ranges = response
            .api_keys
            .iter()
            .filter(|k| k.min_version <= k.max_version)
            .map(|k| (k.api_key, (k.min_version, k.max_version)))
            .collect();
        // A negative epoch says the broker does not know the features yet.
        let finalized = if response.finalized_features_epoch >= 0 {
            response
                .finalized_features
                .iter()
                .map(|f| (f.name.clone(), f.max_version_level))
                .collect()
        } else {
            BTreeMap::new()
        };
        ApiVersionRanges { ranges, finalized }
    }

    /// The cluster's finalized level of feature `name` (such as
    /// `transaction.version`), as the broker last knew it; `None` when the
    /// broker names none.
    pub fn finalized_feature(&self, name: &str) -> Option<i16> {
        self.finalized.get(name).copied()
    }

    /// Ranges from `(api_key, min, max)` triples.
    pub fn from_ranges(ranges: impl IntoIterator<Item = (i16, i16, i16)>) -> Self {
        ApiVersionRanges {
            ranges: ranges
                .into_iter()
                .filter(|(_, min, max)| min <= max)
                .map(|(key, min, max)| (key, (min, max)))
                .collect(),
            finalized: BTreeMap::new(),
        }
    }

    /// The broker's `(min, max)` for `api`, `None` when it does not offer it.
    pub fn broker_range(&self, api: ApiKey) -> Option<(i16, i16)> {
        self.ranges.get(&api.key()).copied()
    }

    /// Every advertised `(api_key, min, max)`, in key order (keys krafka does
    /// not know included).
    pub fn iter(&self) -> impl Iterator<Item = (i16, i16, i16)> + '_ {
        self.ranges.iter().map(|(k, (min, max))| (*k, *min, *max))
    }

    /// The highest version in `[min, max]` that the broker also supports,
    /// never below [`client_floor`]: Produce not below
    /// [`versions::PRODUCE_MIN`] (brokers still advertise Produce from v0,
    /// but Kafka 4 rejects v0-v2), Metadata not below [`METADATA_CLIENT_MIN`].
    pub fn negotiate(&self, api: ApiKey, max: i16, min: i16) -> Option<i16> {
        let min = min.max(client_floor(api));
        let (broker_min, broker_max) = self.broker_range(api)?;
        let version = max.min(broker_max);
        (version >= min.max(broker_min)).then_some(version)
    }

    /// The highest version of `api` both krafka (its [`versions::supported`]
    /// range) and the broker support.
    pub fn negotiate_supported(&self, api: ApiKey) -> Option<i16> {
        let (min, max) = versions::supported(api)?;
        self.negotiate(api, max, min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges() -> ApiVersionRanges {
        ApiVersionRanges::from_ranges([(0, 0, 11), (1, 0, 13), (3, 0, 12), (18, 0, 3)])
    }

    #[test]
    fn picks_the_highest_common_version() {
        let r = ranges();
        assert_eq!(r.negotiate(ApiKey::Fetch, 12, 4), Some(12));
        assert_eq!(r.negotiate(ApiKey::Fetch, 20, 4), Some(13));
        assert_eq!(r.negotiate(ApiKey::Metadata, 13, 0), Some(12));
        assert_eq!(r.negotiate(ApiKey::ApiVersions, 5, 0), Some(3));
    }

    #[test]
    fn no_overlap_or_unknown_api_is_none() {
        let r = ApiVersionRanges::from_ranges([(1, 14, 18)]);
        assert_eq!(r.negotiate(ApiKey::Fetch, 12, 4), None);
        assert_eq!(r.negotiate(ApiKey::ListOffsets, 11, 0), None);
    }

    #[test]
    fn produce_v0_is_never_trusted() {
        let r = ApiVersionRanges::from_ranges([(0, 0, 2)]);
        assert_eq!(r.negotiate(ApiKey::Produce, 9, 0), None);
        let r = ApiVersionRanges::from_ranges([(0, 0, 13)]);
        assert_eq!(r.negotiate(ApiKey::Produce, 9, 0), Some(9));
        let r = ApiVersionRanges::from_ranges([(0, 0, 3)]);
        assert_eq!(r.negotiate(ApiKey::Produce, 2, 0), None);
        assert_eq!(r.negotiate_supported(ApiKey::Produce), Some(3));
    }

    #[test]
    fn metadata_below_v4_is_never_used() {
        let r = ApiVersionRanges::from_ranges([(3, 0, 3)]);
        assert_eq!(r.negotiate(ApiKey::Metadata, 13, 0), None);
        assert_eq!(r.negotiate_supported(ApiKey::Metadata), None);
        let r = ApiVersionRanges::from_ranges([(3, 0, 4)]);
        assert_eq!(r.negotiate_supported(ApiKey::Metadata), Some(4));
    }

    #[test]
    fn client_supported_range_is_used() {
        let r = ApiVersionRanges::from_ranges([(1, 0, 100)]);
        assert_eq!(
            r.negotiate_supported(ApiKey::Fetch),
            Some(versions::FETCH_MAX)
        );
        assert_eq!(r.negotiate_supported(ApiKey::Vote), None);
    }
}
