package dev.krafka.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.types.RawTaggedField;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Krafka's reference codec: Apache Kafka's own generated message classes.
 *
 * <pre>
 * vectors &lt;out-file&gt; &lt;seed&gt; &lt;samples-per-version&gt;
 *     For every message Krafka covers (requests a broker serves and their responses, the
 *     headers and the "data" schemas), at every version, writes random values as lines
 *     "&lt;Name&gt; &lt;version&gt; &lt;s|u&gt; &lt;hex|-&gt; &lt;json&gt;": s for a stable version, u for one Kafka marks
 *     unstable (latestVersionUnstable), the bytes Kafka writes (- when empty) and Kafka's JSON
 *     form of the value (*JsonConverter.write), on one line. In flexible versions some values
 *     also carry tagged fields the schema does not define (not part of the JSON form).
 *     Deterministic for a seed and a Kafka version.
 * decode &lt;in-file&gt; [&lt;out-file&gt;]
 *     Reads lines "&lt;Name&gt; &lt;version&gt; &lt;hex|-&gt;" and writes (to stdout without out-file), for
 *     each, "ok &lt;hex|-&gt; &lt;json&gt;" (what Kafka re-encodes the decoded value to, and its JSON form;
 *     decoding must consume every byte) or "err &lt;message&gt;".
 * list
 *     Prints the messages covered and their versions.
 * records-write &lt;out-file&gt; &lt;seed&gt; / records-read &lt;in-file&gt; &lt;out-file&gt;
 *     Record batches written and read by Kafka's record classes: see {@link Records}.
 * partitioner-vectors &lt;out-file&gt; &lt;seed&gt; &lt;count&gt;
 *     Kafka's murmur2 and key partitioning: see {@link PartitionerVectors}.
 * assignors &lt;in-file&gt; &lt;out-file&gt; / consumer-protocol &lt;in-file&gt; &lt;out-file&gt;
 *     Kafka's partition assignors on generated groups, and its consumer protocol bytes: see
 *     {@link Assignors}.
 * txn-produce &lt;bootstrap&gt; &lt;topic&gt; &lt;rounds&gt;
 *     Committed and aborted transactions on a real broker: see {@link TxnProduce}.
 * txn-open &lt;bootstrap&gt; &lt;topic&gt; &lt;partition&gt; &lt;n&gt; &lt;hold-ms&gt;
 *     A transaction held open on a real broker, then committed: see {@link TxnOpen}.
 * txn-session &lt;bootstrap&gt; &lt;transactional-id&gt; &lt;transaction-timeout-ms&gt;
 *     A transactional producer driven step by step over stdin: see {@link TxnSession}.
 * read-committed &lt;bootstrap&gt; &lt;topic&gt; &lt;timeout-ms&gt;
 *     What a read_committed KafkaConsumer sees of a topic up to its end offsets: see
 *     {@link ReadCommitted}.
 * offsets-for-times &lt;bootstrap&gt; &lt;topic&gt; &lt;p1,p2,...&gt; &lt;timestamp&gt;...
 *     KafkaConsumer.offsetsForTimes on a real broker: see {@link OffsetsForTimes}.
 * group-member &lt;bootstrap&gt; &lt;group&gt; &lt;assignor&gt; &lt;topic&gt;[,&lt;topic&gt;...] [instance-id] [--held]
 *     A KafkaConsumer in a group until stdin closes: see {@link GroupMember}.
 * </pre>
 *
 * Kafka's JsonConverter writes a records field as an empty binary node whatever it holds; the
 * JSON printed here has the actual record bytes in its place (see {@link #withRecords}).
 */
public final class Conformance {
    private Conformance() {}

    private static final JsonMapper MAPPER = new JsonMapper();
    private static final HexFormat HEX = HexFormat.of();

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("vectors")) {
            vectors(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]));
        } else if ((args.length == 2 || args.length == 3) && args[0].equals("decode")) {
            decode(Path.of(args[1]), args.length == 3 ? Path.of(args[2]) : null);
        } else if (args.length == 3 && args[0].equals("records-write")) {
            Records.write(Path.of(args[1]), Long.parseLong(args[2]));
        } else if (args.length == 3 && args[0].equals("records-read")) {
            Records.read(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length == 4 && args[0].equals("partitioner-vectors")) {
            PartitionerVectors.write(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]));
        } else if (args.length == 3 && args[0].equals("assignors")) {
            Assignors.assign(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length == 3 && args[0].equals("consumer-protocol")) {
            Assignors.protocol(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length == 4 && args[0].equals("txn-produce")) {
            TxnProduce.run(args[1], args[2], Integer.parseInt(args[3]));
        } else if (args.length == 6 && args[0].equals("txn-open")) {
            TxnOpen.run(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Long.parseLong(args[5]));
        } else if (args.length == 4 && args[0].equals("txn-session")) {
            TxnSession.run(args[1], args[2], Long.parseLong(args[3]));
        } else if (args.length == 4 && args[0].equals("read-committed")) {
            ReadCommitted.run(args[1], args[2], Long.parseLong(args[3]));
        } else if (args.length >= 5 && args[0].equals("offsets-for-times")) {
            OffsetsForTimes.run(args[1], args[2], args[3], Arrays.copyOfRange(args, 4, args.length));
        } else if (args.length >= 5 && args.length <= 7 && args[0].equals("group-member")) {
            String instanceId = null;
            boolean held = false;
            for (int i = 5; i < args.length; i++) {
                if (args[i].equals("--held")) {
                    held = true;
                } else {
                    instanceId = args[i];
                }
            }
            GroupMember.run(args[1], args[2], args[3], args[4], instanceId, held);
        } else if (args.length == 1 && args[0].equals("list")) {
            for (Schema.Message m : covered()) {
                System.out.printf("%s %d-%d%s%n", m.name(), m.validVersions().min(), m.validVersions().max(),
                        m.latestVersionUnstable() ? " (latest unstable)" : "");
            }
        } else {
            System.err.println("usage: vectors <out-file> <seed> <samples-per-version> | decode <in-file> [<out-file>]"
                    + " | records-write <out-file> <seed> | records-read <in-file> <out-file>"
                    + " | partitioner-vectors <out-file> <seed> <count> | list"
                    + " | assignors <in-file> <out-file> | consumer-protocol <in-file> <out-file>"
                    + " | txn-produce <bootstrap> <topic> <rounds>"
                    + " | txn-open <bootstrap> <topic> <partition> <n> <hold-ms>"
                    + " | txn-session <bootstrap> <transactional-id> <transaction-timeout-ms>"
                    + " | read-committed <bootstrap> <topic> <timeout-ms>"
                    + " | offsets-for-times <bootstrap> <topic> <p1,p2,...> <timestamp>..."
                    + " | group-member <bootstrap> <group> <assignor> <topic>[,<topic>...] [instance-id] [--held]");
            System.exit(2);
        }
    }

    /**
     * The messages Krafka covers, by Kafka's own definitions: requests a broker serves and their
     * responses, the headers and the data schemas. A response's latest version counts as unstable
     * when its request's does (only requests carry the flag).
     */
    static List<Schema.Message> covered() throws Exception {
        List<Schema.Message> all = Schema.loadAll();
        Map<Integer, Schema.Message> brokerRequests = new HashMap<>();
        for (Schema.Message m : all) {
            if (m.type().equals("request") && m.listeners().contains("broker")) {
                brokerRequests.put(m.apiKey(), m);
            }
        }
        return all.stream()
                .filter(m -> switch (m.type()) {
                    case "request", "response" -> brokerRequests.containsKey(m.apiKey());
                    case "header", "data" -> true;
                    default -> false;
                })
                .map(m -> {
                    Schema.Message request = m.type().equals("response") ? brokerRequests.get(m.apiKey()) : null;
                    boolean inherited = request != null && request.latestVersionUnstable()
                            && request.validVersions().max() == m.validVersions().max();
                    return inherited ? m.withLatestVersionUnstable() : m;
                })
                .toList();
    }

    /** Reflective access to one generated message class and its JSON converter. */
    private static final class Codec {
        final Schema.Message spec;
        final Constructor<?> fromReadable;
        final Method read;
        final Method write;

        Codec(Schema.Message spec) throws ReflectiveOperationException {
            this.spec = spec;
            Class<?> data = Class.forName(spec.dataClassName());
            Class<?> converter = Class.forName(spec.converterClassName());
            this.fromReadable = data.getConstructor(org.apache.kafka.common.protocol.Readable.class, short.class);
            this.read = converter.getMethod("read", JsonNode.class, short.class);
            this.write = converter.getMethod("write", data, short.class, boolean.class);
        }

        Message fromJson(JsonNode json, short version) throws ReflectiveOperationException {
            return (Message) unwrap(() -> read.invoke(null, json, version));
        }

        Message fromBytes(byte[] bytes, short version) throws ReflectiveOperationException {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            Message m = (Message) unwrap(() -> fromReadable.newInstance(new ByteBufferAccessor(buf), version));
            if (buf.hasRemaining()) {
                throw new IllegalStateException(buf.remaining() + " of " + bytes.length + " bytes left over");
            }
            return m;
        }

        String toJson(Message m, short version) throws Exception {
            JsonNode node = (JsonNode) unwrap(() -> write.invoke(null, m, version, true));
            withRecords(spec, spec.fields(), m, node, version);
            return MAPPER.writeValueAsString(node);
        }
    }

    private interface Call {
        Object call() throws ReflectiveOperationException;
    }

    /** Rethrows what a reflective call threw, so error messages name the real cause. */
    private static Object unwrap(Call call) throws ReflectiveOperationException {
        try {
            return call.call();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    static byte[] encode(Message m, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = m.size(cache, version);
        ByteBuffer buf = ByteBuffer.allocate(size);
        m.write(new ByteBufferAccessor(buf), cache, version);
        if (buf.hasRemaining()) {
            throw new IllegalStateException("size() said " + size + " but write() wrote " + buf.position());
        }
        return buf.array();
    }

    private static String hex(byte[] bytes) {
        return bytes.length == 0 ? "-" : HEX.formatHex(bytes);
    }

    private static byte[] unhex(String s) {
        return s.equals("-") ? new byte[0] : HEX.parseHex(s);
    }

    static void vectors(Path out, long seed, int samples) throws Exception {
        long started = System.nanoTime();
        int pairs = 0;
        int vectors = 0;
        int withUnknownTags = 0;
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (Schema.Message spec : covered()) {
                Codec codec = new Codec(spec);
                for (int v = spec.validVersions().min(); v <= spec.validVersions().max(); v++) {
                    short version = (short) v;
                    boolean unstable = spec.latestVersionUnstable() && v == spec.validVersions().max();
                    Values values = new Values(spec, new SplittableRandom(mix(seed, spec.name(), v)));
                    pairs++;
                    for (int i = 0; i < samples; i++) {
                        JsonNode input = values.message(version);
                        Message data;
                        byte[] bytes;
                        String json;
                        try {
                            data = codec.fromJson(input, version);
                            List<RawTaggedField> unknown = values.unknownTags(version);
                            data.unknownTaggedFields().addAll(unknown);
                            withUnknownTags += unknown.isEmpty() ? 0 : 1;
                            bytes = encode(data, version);
                            json = codec.toJson(data, version);
                        } catch (Exception e) {
                            throw new IllegalStateException(spec.name() + " v" + v + ": Kafka rejected generated value "
                                    + MAPPER.writeValueAsString(input), e);
                        }
                        w.write(spec.name() + " " + v + " " + (unstable ? "u" : "s") + " " + hex(bytes) + " " + json + "\n");
                        vectors++;
                    }
                }
            }
        }
        System.err.printf("[conformance] %d vectors (%d with unknown tagged fields) for %d (message, version) pairs"
                + " in %d ms%n", vectors, withUnknownTags, pairs, (System.nanoTime() - started) / 1_000_000);
    }

    static void decode(Path in, Path out) throws Exception {
        Map<String, Codec> codecs = new HashMap<>();
        for (Schema.Message spec : covered()) {
            codecs.put(spec.name(), new Codec(spec));
        }
        try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8);
                Writer w = out == null
                        ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                        : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] parts = line.split(" ");
                String result;
                try {
                    Codec codec = codecs.get(parts[0]);
                    if (codec == null) {
                        throw new IllegalArgumentException("unknown message " + parts[0]);
                    }
                    short version = Short.parseShort(parts[1]);
                    Message m = codec.fromBytes(unhex(parts[2]), version);
                    result = "ok " + hex(encode(m, version)) + " " + codec.toJson(m, version);
                } catch (Exception e) {
                    result = "err " + String.valueOf(e).replace('\n', ' ');
                }
                w.write(result);
                w.write('\n');
            }
        }
    }

    /** A seed per (message, version), so one message's samples do not depend on another's. */
    private static long mix(long seed, String name, int version) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (char c : name.toCharArray()) {
            h = (h ^ c) * 0x100000001B3L;
        }
        return h ^ (version * 0xC2B2AE3D27D4EB4FL);
    }

    /**
     * Replaces the records fields of {@code node} (the JsonConverter's rendering of {@code data})
     * by the records' bytes: the converter writes an empty binary node for them.
     */
    private static void withRecords(Schema.Message spec, List<Schema.Field> fields, Object data, JsonNode node,
            short version) throws Exception {
        if (!(node instanceof ObjectNode obj)) {
            return;
        }
        for (Schema.Field f : fields) {
            if (!f.versions().contains(version) || !obj.has(f.camelCaseName())) {
                continue;
            }
            String type = f.elementType();
            boolean records = type.equals("records");
            if (!records && (Schema.isPrimitive(type) || !hasRecords(spec, spec.structFields(f)))) {
                continue;
            }
            Object value = data.getClass().getMethod(f.camelCaseName()).invoke(data);
            if (value == null) {
                continue;
            }
            if (records) {
                ByteBuffer buf = ((ByteBuffer) value.getClass().getMethod("buffer").invoke(value)).duplicate();
                byte[] bytes = new byte[buf.remaining()];
                buf.get(bytes);
                obj.set(f.camelCaseName(), new BinaryNode(bytes));
            } else if (f.isArray()) {
                Iterator<?> items = ((Iterable<?>) value).iterator();
                for (JsonNode item : (ArrayNode) obj.get(f.camelCaseName())) {
                    withRecords(spec, spec.structFields(f), items.next(), item, version);
                }
            } else {
                withRecords(spec, spec.structFields(f), value, obj.get(f.camelCaseName()), version);
            }
        }
    }

    private static boolean hasRecords(Schema.Message spec, List<Schema.Field> fields) {
        for (Schema.Field f : fields) {
            String type = f.elementType();
            if (type.equals("records") || (!Schema.isPrimitive(type) && hasRecords(spec, spec.structFields(f)))) {
                return true;
            }
        }
        return false;
    }
}
