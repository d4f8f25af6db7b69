package dev.krafka.conformance;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Kafka's own answer to "which offset has the first record at or after this timestamp", for the
 * seek-by-timestamp test of krafka's consumer.
 *
 * <pre>
 * offsets-for-times &lt;bootstrap&gt; &lt;topic&gt; &lt;p1,p2,...&gt; &lt;timestamp&gt;...
 *     For each timestamp, one KafkaConsumer.offsetsForTimes call over the listed partitions
 *     (read_uncommitted, no group). Prints, per timestamp and partition in the order given,
 *       "&lt;partition&gt; &lt;timestamp&gt; &lt;offset|-&gt; &lt;record-timestamp|-&gt;"
 *     where "-" means Kafka found no such record (the timestamp is after every record).
 * </pre>
 */
final class OffsetsForTimes {
    private OffsetsForTimes() {}

    static void run(String bootstrap, String topic, String partitionList, String[] timestamps) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        String[] partitions = partitionList.split(",");
        StringBuilder out = new StringBuilder();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            for (String ts : timestamps) {
                long timestamp = Long.parseLong(ts);
                Map<TopicPartition, Long> query = new HashMap<>();
                for (String p : partitions) {
                    query.put(new TopicPartition(topic, Integer.parseInt(p)), timestamp);
                }
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(60));
                for (String p : partitions) {
                    OffsetAndTimestamp hit = found.get(new TopicPartition(topic, Integer.parseInt(p)));
                    out.append(Integer.parseInt(p)).append(' ').append(timestamp).append(' ')
                            .append(hit == null ? "-" : Long.toString(hit.offset())).append(' ')
                            .append(hit == null ? "-" : Long.toString(hit.timestamp())).append('\n');
                }
            }
        }
        System.out.print(out);
        System.out.flush();
    }
}
