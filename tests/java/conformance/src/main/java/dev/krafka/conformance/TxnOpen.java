package dev.krafka.conformance;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * A transaction held open for a while by Kafka's own transactional producer, for the test that
 * krafka's read_committed consumer stops at the last stable offset.
 *
 * <pre>
 * txn-open &lt;bootstrap&gt; &lt;topic&gt; &lt;partition&gt; &lt;n&gt; &lt;hold-ms&gt;
 *     Begins a transaction, writes n records (keys "txn-&lt;i&gt;", values "value-of-txn-&lt;i&gt;") to
 *     the partition and flushes them, then prints "open &lt;first-offset&gt; &lt;last-offset&gt;" (the
 *     offsets the broker gave them), waits hold-ms with the transaction open, commits it and
 *     prints "committed".
 * </pre>
 */
final class TxnOpen {
    private TxnOpen() {}

    static void run(String bootstrap, String topic, int partition, int count, long holdMs) throws Exception {
        // A timeout comfortably longer than the hold: the broker must not abort it.
        long timeoutMs = Math.max(60_000, holdMs * 4);
        try (Producer<String, String> producer =
                TxnProduce.transactional(bootstrap, "krafka-txn-open-" + topic, timeoutMs)) {
            producer.initTransactions();
            producer.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = "txn-" + i;
                sent.add(producer.send(new ProducerRecord<>(topic, partition, key, "value-of-" + key)));
            }
            producer.flush();
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (Future<RecordMetadata> f : sent) {
                long offset = f.get().offset();
                first = Math.min(first, offset);
                last = Math.max(last, offset);
            }
            System.out.println("open " + first + " " + last);
            System.out.flush();
            Thread.sleep(holdMs);
            producer.commitTransaction();
            System.out.println("committed");
            System.out.flush();
        }
    }
}
