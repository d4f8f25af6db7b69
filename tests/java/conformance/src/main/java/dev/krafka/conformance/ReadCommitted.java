package dev.krafka.conformance;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What Kafka's own read_committed consumer sees of a topic, for the transaction tests: the
 * reference a krafka transactional producer's output is checked against.
 *
 * <pre>
 * read-committed &lt;bootstrap&gt; &lt;topic&gt; &lt;timeout-ms&gt;
 *     Assigns every partition of the topic (isolation.level=read_committed, no group), seeks to
 *     the beginning, takes the end offsets once (for read_committed these are the last stable
 *     offsets) and polls until every partition's position reached its end offset. Prints one
 *     JSON line per record, in the order received (so in offset order per partition):
 *       {"partition":..,"offset":..,"key":..,"value":..}       (UTF-8 text, or null)
 *     then {"done":&lt;records&gt;,"ends":{"&lt;partition&gt;":&lt;end offset&gt;,..}}. Fails (exit status 1,
 *     a message on stderr) when the end offsets are not reached within timeout-ms.
 * </pre>
 */
final class ReadCommitted {
    private ReadCommitted() {}

    private static final JsonMapper MAPPER = new JsonMapper();

    static void run(String bootstrap, String topic, long timeoutMs) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        long deadline = System.currentTimeMillis() + timeoutMs;
        StringBuilder out = new StringBuilder();
        long count = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofMillis(timeoutMs))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            partitions.sort(Comparator.comparingInt(TopicPartition::partition));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofMillis(timeoutMs));
            while (!reached(consumer, partitions, ends)) {
                if (System.currentTimeMillis() > deadline) {
                    System.err.println("read-committed: positions did not reach the end offsets " + ends
                            + " within " + timeoutMs + " ms");
                    System.exit(1);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    ObjectNode line = MAPPER.createObjectNode();
                    line.put("partition", r.partition());
                    line.put("offset", r.offset());
                    line.put("key", r.key());
                    line.put("value", r.value());
                    out.append(MAPPER.writeValueAsString(line)).append('\n');
                    count++;
                }
            }
            ObjectNode done = MAPPER.createObjectNode();
            done.put("done", count);
            ObjectNode endsNode = done.putObject("ends");
            for (TopicPartition tp : partitions) {
                endsNode.put(Integer.toString(tp.partition()), ends.get(tp));
            }
            out.append(MAPPER.writeValueAsString(done)).append('\n');
        }
        System.out.print(out);
        System.out.flush();
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> ends) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < ends.get(tp)) {
                return false;
            }
        }
        return true;
    }
}
