//! Krafka's tokio client (connections, producer, consumer). Arrives with later issues.
