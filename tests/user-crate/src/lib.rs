//! A user's own messages: a trimmed-down ListGroups pair with a nested
//! struct, derived with `krafka` as the crate's only dependency and imported
//! the way the trait is.

use krafka::protocol::{Message, TaggedFields};

/// Lists the groups a broker coordinates (ListGroups' API key, versions 2-4).
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 16, request, versions = "2-4", flexible = "3+", response = GroupsResponse)]
pub struct GroupsRequest {
    /// Only groups in these states; all of them when empty.
    #[kafka(versions = "4+", ignorable)]
    pub states_filter: Vec<String>,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The answer to [`GroupsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 16, response, versions = "2-4", flexible = "3+")]
pub struct GroupsResponse {
    /// How long the request was throttled.
    pub throttle_time_ms: i32,
    /// The error code, or 0.
    pub error_code: i16,
    /// Each group.
    pub groups: Vec<Group>,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// One group in a [`GroupsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Group {
    /// The group id.
    pub group_id: String,
    /// The protocol type, empty for groups without members.
    pub protocol_type: String,
    /// The group's state.
    #[kafka(versions = "4+")]
    pub group_state: String,
    /// How many members the group has, -1 when unknown.
    #[kafka(versions = "3+", tag = 0, tagged_versions = "3+", default = -1)]
    pub member_count: i32,
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// A crate that re-exports `krafka` under another name, as an SDK built on
/// it would, and points the derive at it.
pub mod sdk {
    pub use krafka as kafka;

    /// A versioned structure travelling inside another message.
    #[derive(Debug, Clone, PartialEq, kafka::protocol::Message)]
    #[kafka(crate = crate::sdk::kafka, data, versions = "0-1")]
    pub struct Assignment {
        /// The partitions assigned.
        pub partitions: Vec<i32>,
        /// Opaque data for the member.
        #[kafka(versions = "1+", nullable_versions = "1+")]
        pub user_data: Option<String>,
    }
}
