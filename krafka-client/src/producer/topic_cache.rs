//! The metadata of the topic sent to last, reused while the cluster's
//! metadata generation is unchanged: a send looks its topic up with one
//! string comparison instead of hashing the name into the cluster's map.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::cluster::{Cluster, TopicMetadata};

/// One topic's metadata and the generation it was read at.
#[derive(Debug, Default)]
pub(crate) struct TopicCache {
    entry: Mutex<Option<Entry>>,
}

#[derive(Debug)]
struct Entry {
    generation: u64,
    topic: Arc<TopicMetadata>,
}

impl TopicCache {
    fn lock(&self) -> MutexGuard<'_, Option<Entry>> {
        self.entry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current metadata of topic `name`, or `None` when the cluster's
    /// metadata does not know it.
    pub(crate) fn get(&self, cluster: &Cluster, name: &str) -> Option<Arc<TopicMetadata>> {
        // Read before the snapshot: an update after this read bumps the
        // generation, so an entry is never kept past its snapshot.
        let generation = cluster.metadata_generation();
        if let Some(entry) = self.lock().as_ref() {
            if entry.generation == generation && entry.topic.name == name {
                return Some(Arc::clone(&entry.topic));
            }
        }
        let topic = Arc::clone(cluster.metadata().topic(name)?);
        *self.lock() = Some(Entry {
            generation,
            topic: Arc::clone(&topic),
        });
        Some(topic)
    }
}
