package dev.krafka.conformance;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;

/**
 * Committed and aborted transactions from Kafka's own transactional producer, for the
 * read_committed test of krafka's consumer.
 *
 * <pre>
 * txn-produce &lt;bootstrap&gt; &lt;topic&gt; &lt;rounds&gt;
 *     The topic must exist. Two transactional producers, A and B, each run one transaction per
 *     round over every partition of the topic, open at the same time and interleaved within each
 *     partition (A writes, then B, then A again, each write flushed so the log holds them in that
 *     order), with a third, non-transactional idempotent producer writing one record per
 *     partition in the middle of them. Then A ends its transaction, then B: A commits unless
 *     round % 3 == 1, B commits when round % 2 == 1 (round 0: A commits, B aborts; round 1: A
 *     aborts, B commits; round 3: both commit; ...).
 *     Prints one line per record, sorted by partition and offset:
 *       "&lt;committed|aborted|plain&gt; &lt;partition&gt; &lt;offset&gt; &lt;key&gt; &lt;value&gt;"
 *     (keys and values are ASCII without spaces), then "done &lt;records&gt;".
 *     A read_committed consumer must see exactly the committed and plain ones, in offset order.
 * </pre>
 */
final class TxnProduce {
    private TxnProduce() {}

    /** One record written, with its fate. */
    private record Written(String verdict, int partition, long offset, String key, String value) {}

    /** A record sent, its fate decided when its transaction ends. */
    private record Pending(Future<RecordMetadata> metadata, String key, String value) {}

    static void run(String bootstrap, String topic, int rounds) throws Exception {
        List<Written> written = new ArrayList<>();
        try (Producer<String, String> a = transactional(bootstrap, "krafka-txn-a-" + topic);
                Producer<String, String> b = transactional(bootstrap, "krafka-txn-b-" + topic);
                Producer<String, String> plain = new KafkaProducer<>(common(bootstrap))) {
            a.initTransactions();
            b.initTransactions();
            List<PartitionInfo> partitions = a.partitionsFor(topic);
            for (int round = 0; round < rounds; round++) {
                a.beginTransaction();
                b.beginTransaction();
                List<Pending> fromA = new ArrayList<>();
                List<Pending> fromB = new ArrayList<>();
                List<Pending> fromPlain = new ArrayList<>();
                for (PartitionInfo info : partitions) {
                    int p = info.partition();
                    send(a, topic, p, "a", round, 0, 3, fromA);
                    send(b, topic, p, "b", round, 0, 2, fromB);
                    send(plain, topic, p, "plain", round, 0, 1, fromPlain);
                    send(a, topic, p, "a", round, 3, 2, fromA);
                    send(b, topic, p, "b", round, 2, 1, fromB);
                }
                boolean commitA = round % 3 != 1;
                boolean commitB = round % 2 == 1;
                end(a, commitA);
                end(b, commitB);
                collect(fromA, commitA ? "committed" : "aborted", written);
                collect(fromB, commitB ? "committed" : "aborted", written);
                collect(fromPlain, "plain", written);
            }
        }
        written.sort(Comparator.comparingInt(Written::partition).thenComparingLong(Written::offset));
        StringBuilder out = new StringBuilder();
        for (Written w : written) {
            out.append(w.verdict()).append(' ').append(w.partition()).append(' ').append(w.offset())
                    .append(' ').append(w.key()).append(' ').append(w.value()).append('\n');
        }
        out.append("done ").append(written.size()).append('\n');
        System.out.print(out);
        System.out.flush();
    }

    private static Properties common(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private static Producer<String, String> transactional(String bootstrap, String id) {
        return transactional(bootstrap, id, 60_000);
    }

    /** A transactional producer whose transactions the broker aborts after `timeoutMs`. */
    static Producer<String, String> transactional(String bootstrap, String id, long timeoutMs) {
        Properties props = common(bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(timeoutMs));
        return new KafkaProducer<>(props);
    }

    /** Sends `count` records (numbered from `first`) to one partition and waits until they are written. */
    private static void send(Producer<String, String> producer, String topic, int partition, String who,
            int round, int first, int count, List<Pending> into) {
        for (int i = first; i < first + count; i++) {
            String key = who + "-r" + round + "-p" + partition + "-" + i;
            String value = "value-of-" + key;
            into.add(new Pending(producer.send(new ProducerRecord<>(topic, partition, key, value)), key, value));
        }
        producer.flush();
    }

    private static void end(Producer<String, String> producer, boolean commit) {
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    private static void collect(List<Pending> pending, String verdict, List<Written> into) throws Exception {
        for (Pending p : pending) {
            RecordMetadata m = p.metadata().get();
            into.add(new Written(verdict, m.partition(), m.offset(), p.key(), p.value()));
        }
    }
}
