//! Splitting a batch the broker refused as too large (MESSAGE_TOO_LARGE,
//! RECORD_LIST_TOO_LARGE) into two that keep its sequences.

use krafka_core::KrafkaError;
use krafka_core::records::RecordBatch;

use super::Accumulator;
use crate::producer::batch::{ProducerBatch, increment_sequence};

impl Accumulator {
    /// Splits a batch the broker found too large into two open batches that
    /// carry its stamp's two halves, so the sequences of the batches after
    /// it stay valid.
    #[allow(clippy::result_large_err)]
    pub(super) fn split(
        &mut self,
        mut batch: ProducerBatch,
    ) -> Result<Vec<ProducerBatch>, (ProducerBatch, KrafkaError)> {
        let records = match batch
            .built
            .as_ref()
            .map(|b| RecordBatch::decode(b.bytes.clone()).and_then(|d| d.collect_records()))
        {
            Some(Ok(records)) if records.len() == batch.record_count() => records,
            Some(Err(error)) => return Err((batch, error)),
            _ => {
                return Err((
                    batch,
                    KrafkaError::state("cannot split a batch that was not built"),
                ));
            }
        };
        let half = records.len() / 2;
        let mut builders = Vec::with_capacity(2);
        for chunk in [&records[..half], &records[half..]] {
            let mut builder = self.new_builder(self.limits.batch_size);
            for record in chunk {
                if let Err(error) = builder.push_record(
                    Some(record.timestamp),
                    record.key.as_deref(),
                    record.value.as_deref(),
                    &record.headers.to_vec(),
                ) {
                    return Err((batch, error));
                }
            }
            builders.push(builder);
        }
        let half = u32::try_from(half).unwrap_or(u32::MAX);
        let second_stamp = batch.stamp.map(|(producer, sequence)| {
            let half = i32::try_from(half).unwrap_or(i32::MAX);
            (producer, increment_sequence(sequence, half))
        });
        let second = batch.completer.split_off(half);
        let first = batch.completer;
        let mut parts = Vec::with_capacity(2);
        for ((builder, completer), stamp) in builders
            .into_iter()
            .zip([first, second])
            .zip([batch.stamp, second_stamp])
        {
            parts.push(ProducerBatch {
                // The parts keep the original id, so a flush waiting for
                // it waits for both.
                id: batch.id,
                topic: batch.topic.clone(),
                partition: batch.partition,
                slot: batch.slot,
                builder: Some(builder),
                built: None,
                stamp,
                retry: true,
                maybe_written: batch.maybe_written,
                compression: batch.compression,
                compression_level: batch.compression_level,
                transactional: batch.transactional,
                completer,
                created: batch.created,
                attempts: batch.attempts,
                memory: batch.memory.empty(),
                limit: self.limits.batch_size,
                estimated: 0,
                sticky_left: false,
            });
        }
        if let Some(first) = parts.first_mut() {
            std::mem::swap(&mut first.memory, &mut batch.memory);
        }
        *self.incomplete.entry(batch.id).or_default() += 1;
        Ok(parts)
    }
}
