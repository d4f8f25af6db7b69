//! Every Kafka message, one file per API.

pub mod api_versions;
pub use api_versions::{ApiVersionsRequest, ApiVersionsResponse};
