package dev.krafka.conformance;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A member of a consumer group run by Kafka's own KafkaConsumer (classic group protocol), for the
 * tests that mix it with krafka's group code and admin client.
 *
 * <pre>
 * group-member &lt;bootstrap&gt; &lt;group&gt; &lt;assignor&gt; &lt;topic&gt;[,&lt;topic&gt;...] [instance-id] [--held]
 *     Subscribes to the topics with partition.assignment.strategy = the assignor (range,
 *     roundrobin, sticky, cooperative-sticky or a class name), enable.auto.commit=false,
 *     auto.offset.reset=earliest, and group.instance.id when given. Prints JSON lines on stdout:
 *       {"event":"started"}                   (the JVM is up and the consumer made; before subscribe)
 *       {"event":"assigned"|"revoked"|"lost","partitions":["t-0",...]}  (rebalance listener;
 *           cooperative-sticky names only the partitions added or taken away)
 *       {"event":"record","topic":..,"partition":..,"offset":..,"key":..,"value":..}
 *           (key and value in base64, or null)
 *       {"event":"commit-failed","error":..}  (a commit refused during a rebalance)
 *       {"event":"closed"}                    (after close: the member left the group)
 *     Commits synchronously after handling each poll's records. Stops, closing the consumer so
 *     it leaves the group, when standard input is closed or a line "stop" arrives. With --held it
 *     subscribes only when a line "go" arrives (after "started"), so a test can time the join
 *     without the JVM's start.
 * </pre>
 */
final class GroupMember {
    private GroupMember() {}

    private static final JsonMapper MAPPER = new JsonMapper();

    private static final Map<String, String> ASSIGNORS = Map.of(
            "range", "org.apache.kafka.clients.consumer.RangeAssignor",
            "roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor",
            "sticky", "org.apache.kafka.clients.consumer.StickyAssignor",
            "cooperative-sticky", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");

    static void run(String bootstrap, String group, String assignor, String topics, String instanceId,
            boolean held) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, ASSIGNORS.getOrDefault(assignor, assignor));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "krafka-java-member" + (instanceId == null ? "" : "-" + instanceId));
        if (instanceId != null) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        List<String> subscribed = Arrays.asList(topics.split(","));
        AtomicBoolean stop = new AtomicBoolean(false);
        CountDownLatch go = new CountDownLatch(1);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            Thread stdin = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
                        if (line.trim().equals("go")) {
                            go.countDown();
                        }
                    }
                } catch (IOException e) {
                    // A broken stdin means the test is gone: stop as well.
                }
                stop.set(true);
                go.countDown();
                consumer.wakeup();
            }, "stdin");
            stdin.setDaemon(true);
            stdin.start();
            ObjectNode started = MAPPER.createObjectNode();
            started.put("event", "started");
            print(started);
            if (held) {
                go.await();
            }
            consumer.subscribe(subscribed, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    event("assigned", partitions);
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    event("revoked", partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    event("lost", partitions);
                }
            });
            while (!stop.get()) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    ObjectNode line = MAPPER.createObjectNode();
                    line.put("event", "record");
                    line.put("topic", record.topic());
                    line.put("partition", record.partition());
                    line.put("offset", record.offset());
                    putBytes(line, "key", record.key());
                    putBytes(line, "value", record.value());
                    print(line);
                }
                if (!records.isEmpty()) {
                    try {
                        consumer.commitSync();
                    } catch (CommitFailedException | RebalanceInProgressException e) {
                        ObjectNode line = MAPPER.createObjectNode();
                        line.put("event", "commit-failed");
                        line.put("error", e.toString());
                        print(line);
                    } catch (WakeupException e) {
                        break;
                    }
                }
            }
        }
        ObjectNode closed = MAPPER.createObjectNode();
        closed.put("event", "closed");
        print(closed);
    }

    private static void putBytes(ObjectNode line, String field, byte[] bytes) {
        if (bytes == null) {
            line.putNull(field);
        } else {
            line.put(field, Base64.getEncoder().encodeToString(bytes));
        }
    }

    private static void event(String name, Collection<TopicPartition> partitions) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("event", name);
        ArrayNode list = line.putArray("partitions");
        partitions.stream().map(TopicPartition::toString).sorted().forEach(list::add);
        print(line);
    }

    private static synchronized void print(ObjectNode line) {
        System.out.println(line.toString());
        System.out.flush();
    }
}
