//! What the application hears of rebalances ([`RebalanceListener`]).

use futures_core::future::BoxFuture;

use crate::consumer::Consumer;
use crate::consumer::record::TopicPartition;

/// Told when the group gives this member partitions or takes them away, as
/// Java's `ConsumerRebalanceListener`. Each call runs to its end before the
/// rebalance goes on, so a listener may commit (with the [`Consumer`] it is
/// given) or flush what it made of the revoked partitions' records.
///
/// ```no_run
/// # async fn demo() -> Result<(), krafka_core::KrafkaError> {
/// use krafka_client::{BoxFuture, Consumer, ConsumerConfig, RebalanceListener, TopicPartition};
///
/// #[derive(Debug)]
/// struct CommitOnRevoke;
///
/// impl RebalanceListener for CommitOnRevoke {
///     fn on_partitions_revoked<'a>(
///         &'a self,
///         consumer: &'a Consumer,
///         _revoked: &'a [TopicPartition],
///     ) -> BoxFuture<'a, ()> {
///         Box::pin(async move {
///             if let Err(error) = consumer.commit().await {
///                 eprintln!("commit before revocation failed: {error}");
///             }
///         })
///     }
/// }
///
/// let consumer = Consumer::new(ConsumerConfig::from_properties([
///     ("bootstrap.servers", "127.0.0.1:9092"),
///     ("group.id", "billing"),
///     ("enable.auto.commit", "false"),
/// ])?)
/// .await?;
/// consumer.set_rebalance_listener(CommitOnRevoke);
/// consumer.subscribe(["invoices"]).await?;
/// # Ok(())
/// # }
/// ```
pub trait RebalanceListener: Send + Sync + std::fmt::Debug {
    /// `revoked` are taken away: their records are no longer handed out
    /// after this returns. With `enable.auto.commit` their positions were
    /// committed just before.
    fn on_partitions_revoked<'a>(
        &'a self,
        consumer: &'a Consumer,
        revoked: &'a [TopicPartition],
    ) -> BoxFuture<'a, ()> {
        let _ = (consumer, revoked);
        Box::pin(async {})
    }

    /// `assigned` were added to this member's assignment (their positions
    /// come from the committed offsets, else `auto.offset.reset`). None of
    /// their records is fetched before this returns, so a seek here decides
    /// where they start.
    fn on_partitions_assigned<'a>(
        &'a self,
        consumer: &'a Consumer,
        assigned: &'a [TopicPartition],
    ) -> BoxFuture<'a, ()> {
        let _ = (consumer, assigned);
        Box::pin(async {})
    }

    /// `lost` were taken away without a rebalance (the member was evicted,
    /// its generation is over): other members may own them already, so
    /// committing is no longer possible. By default the same as
    /// [`on_partitions_revoked`](Self::on_partitions_revoked), as in Java.
    fn on_partitions_lost<'a>(
        &'a self,
        consumer: &'a Consumer,
        lost: &'a [TopicPartition],
    ) -> BoxFuture<'a, ()> {
        self.on_partitions_revoked(consumer, lost)
    }
}
