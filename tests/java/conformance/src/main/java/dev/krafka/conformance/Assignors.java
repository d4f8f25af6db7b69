package dev.krafka.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Kafka's own partition assignors and consumer protocol, for Krafka's cross-checks.
 *
 * <pre>
 * assignors &lt;in-file&gt; &lt;out-file&gt;
 *     Each input line is a group: {"members": [{"id", "instance" (or null), "metadata" (hex of
 *     the JoinGroup metadata)}], "topics": [{"name", "racks": [[replica racks of partition 0],
 *     ...]}]}. The leader's view is built as ConsumerCoordinator.onLeaderElected builds it (a
 *     HashMap of member id to the deserialized subscription, filled in member order) and each
 *     built-in assignor (a new instance per group) assigns it over a Cluster with those
 *     partitions. Each output line: {"&lt;assignor name&gt;": {"&lt;member id&gt;": ["topic-partition",
 *     ...]} or "error: ..."}, members and partitions sorted.
 * consumer-protocol &lt;in-file&gt; &lt;out-file&gt;
 *     Each input line is a value and the bytes Krafka encodes for it:
 *     {"kind": "subscription", "version", "topics", "owned": [["t", p]], "generation",
 *      "rack", "user_data" (hex or null), "krafka" (hex)},
 *     {"kind": "assignment", "version", "partitions": [["t", p]], "user_data", "krafka"},
 *     {"kind": "sticky-user-data", "partitions", "generation"} or
 *     {"kind": "cooperative-user-data", "generation"}.
 *     Each output line: {"java": hex of ConsumerProtocol.serialize* of the value in that version
 *     (or of the assignor's subscriptionUserData after onAssignment), "reencoded": hex of Kafka's
 *     re-serialization of Krafka's bytes after deserializing them, "decoded": the fields Kafka
 *     read from Krafka's bytes}.
 * </pre>
 */
final class Assignors {
    private Assignors() {}

    private static final JsonMapper MAPPER = new JsonMapper();
    private static final HexFormat HEX = HexFormat.of();

    private static final Map<String, Supplier<ConsumerPartitionAssignor>> ASSIGNORS = new TreeMap<>(Map.of(
            "range", RangeAssignor::new,
            "roundrobin", RoundRobinAssignor::new,
            "sticky", StickyAssignor::new,
            "cooperative-sticky", CooperativeStickyAssignor::new));

    static void assign(Path in, Path out) throws Exception {
        try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8);
             BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode group = MAPPER.readTree(line);
                Cluster cluster = cluster(group.get("topics"));
                ObjectNode result = MAPPER.createObjectNode();
                for (Map.Entry<String, Supplier<ConsumerPartitionAssignor>> e : ASSIGNORS.entrySet()) {
                    try {
                        Map<String, Assignment> assignment = e.getValue().get()
                                .assign(cluster, new GroupSubscription(subscriptions(group.get("members"))))
                                .groupAssignment();
                        ObjectNode members = MAPPER.createObjectNode();
                        for (Map.Entry<String, Assignment> a : new TreeMap<>(assignment).entrySet()) {
                            List<TopicPartition> partitions = new ArrayList<>(a.getValue().partitions());
                            partitions.sort(Comparator.comparing(TopicPartition::topic)
                                    .thenComparingInt(TopicPartition::partition));
                            ArrayNode list = members.putArray(a.getKey());
                            partitions.forEach(tp -> list.add(tp.toString()));
                        }
                        result.set(e.getKey(), members);
                    } catch (RuntimeException ex) {
                        result.put(e.getKey(), "error: " + ex);
                    }
                }
                w.write(MAPPER.writeValueAsString(result));
                w.newLine();
            }
        }
    }

    /** The leader's subscription map, filled as ConsumerCoordinator.onLeaderElected fills it. */
    private static Map<String, Subscription> subscriptions(JsonNode members) {
        Map<String, Subscription> subscriptions = new HashMap<>();
        for (JsonNode m : members) {
            Subscription s = ConsumerProtocol.deserializeSubscription(
                    ByteBuffer.wrap(HEX.parseHex(m.get("metadata").asText())));
            s.setGroupInstanceId(Optional.ofNullable(m.get("instance").isNull() ? null : m.get("instance").asText()));
            subscriptions.put(m.get("id").asText(), s);
        }
        return subscriptions;
    }

    private static Cluster cluster(JsonNode topics) {
        List<Node> nodes = new ArrayList<>();
        List<PartitionInfo> partitions = new ArrayList<>();
        Node leader = new Node(0, "localhost", 9092);
        nodes.add(leader);
        for (JsonNode t : topics) {
            String name = t.get("name").asText();
            int p = 0;
            for (JsonNode racks : t.get("racks")) {
                Node[] replicas = new Node[racks.size()];
                for (int i = 0; i < replicas.length; i++) {
                    replicas[i] = new Node(nodes.size(), "localhost", 9092, racks.get(i).asText());
                    nodes.add(replicas[i]);
                }
                partitions.add(new PartitionInfo(name, p++, leader, replicas, replicas));
            }
        }
        return new Cluster("krafka", nodes, partitions, Collections.emptySet(), Collections.emptySet());
    }

    static void protocol(Path in, Path out) throws Exception {
        try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8);
             BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode v = MAPPER.readTree(line);
                ObjectNode result = MAPPER.createObjectNode();
                switch (v.get("kind").asText()) {
                    case "subscription" -> subscription(v, result);
                    case "assignment" -> assignment(v, result);
                    case "sticky-user-data" -> {
                        StickyAssignor assignor = new StickyAssignor();
                        assignor.onAssignment(new Assignment(partitions(v.get("partitions"))), metadata(v));
                        result.put("java", hex(assignor.subscriptionUserData(new HashSet<>())));
                    }
                    case "cooperative-user-data" -> {
                        CooperativeStickyAssignor assignor = new CooperativeStickyAssignor();
                        if (!v.get("generation").isNull()) {
                            assignor.onAssignment(new Assignment(List.of()), metadata(v));
                        }
                        result.put("java", hex(assignor.subscriptionUserData(new HashSet<>())));
                    }
                    default -> throw new IllegalArgumentException("unknown kind " + v.get("kind"));
                }
                w.write(MAPPER.writeValueAsString(result));
                w.newLine();
            }
        }
    }

    private static void subscription(JsonNode v, ObjectNode result) {
        short version = (short) v.get("version").asInt();
        List<String> topics = new ArrayList<>();
        v.get("topics").forEach(t -> topics.add(t.asText()));
        Subscription s = new Subscription(topics, bytes(v.get("user_data")), partitions(v.get("owned")),
                v.get("generation").asInt(),
                v.get("rack").isNull() ? Optional.empty() : Optional.of(v.get("rack").asText()));
        result.put("java", hex(ConsumerProtocol.serializeSubscription(s, version)));
        Subscription ours = ConsumerProtocol.deserializeSubscription(
                ByteBuffer.wrap(HEX.parseHex(v.get("krafka").asText())));
        result.put("reencoded", hex(ConsumerProtocol.serializeSubscription(ours, version)));
        ObjectNode d = result.putObject("decoded");
        ArrayNode t = d.putArray("topics");
        ours.topics().forEach(t::add);
        d.set("owned", json(ours.ownedPartitions()));
        d.put("generation", ours.generationId().orElse(-1));
        if (ours.rackId().isPresent()) {
            d.put("rack", ours.rackId().get());
        } else {
            d.putNull("rack");
        }
        d.put("user_data", hex(ours.userData()));
    }

    private static void assignment(JsonNode v, ObjectNode result) {
        short version = (short) v.get("version").asInt();
        Assignment a = new Assignment(partitions(v.get("partitions")), bytes(v.get("user_data")));
        result.put("java", hex(ConsumerProtocol.serializeAssignment(a, version)));
        Assignment ours = ConsumerProtocol.deserializeAssignment(
                ByteBuffer.wrap(HEX.parseHex(v.get("krafka").asText())));
        result.put("reencoded", hex(ConsumerProtocol.serializeAssignment(ours, version)));
        ObjectNode d = result.putObject("decoded");
        d.set("partitions", json(ours.partitions()));
        d.put("user_data", hex(ours.userData()));
    }

    /** The only public way to give an assignor its generation, as the consumer does. */
    @SuppressWarnings("removal")
    private static ConsumerGroupMetadata metadata(JsonNode v) {
        return new ConsumerGroupMetadata("g", v.get("generation").asInt(), "m", Optional.empty());
    }

    private static List<TopicPartition> partitions(JsonNode list) {
        List<TopicPartition> partitions = new ArrayList<>();
        list.forEach(tp -> partitions.add(new TopicPartition(tp.get(0).asText(), tp.get(1).asInt())));
        return partitions;
    }

    private static ArrayNode json(List<TopicPartition> partitions) {
        ArrayNode list = MAPPER.createArrayNode();
        partitions.forEach(tp -> list.addArray().add(tp.topic()).add(tp.partition()));
        return list;
    }

    /** Hex bytes, "-" for none, or null. */
    private static ByteBuffer bytes(JsonNode hex) {
        if (hex.isNull()) {
            return null;
        }
        return ByteBuffer.wrap(hex.asText().equals("-") ? new byte[0] : HEX.parseHex(hex.asText()));
    }

    /** The remaining bytes (not consumed), "-" for none and null for a null buffer. */
    private static String hex(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer b = buffer.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes.length == 0 ? "-" : HEX.formatHex(bytes);
    }
}
