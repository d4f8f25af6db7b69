package dev.krafka.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.types.RawTaggedField;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Random values of a message in Kafka's JSON form, as its JsonConverter reads them: every field
 * of the version, with nulls where the version allows them, empty and non-empty strings, bytes
 * and arrays, edge-case numbers, and tagged fields sometimes absent, sometimes at their default
 * and sometimes set.
 */
final class Values {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Deepest struct nesting at which arrays still get more than one element. */
    private static final int WIDE_DEPTH = 2;

    private final Schema.Message spec;
    private final SplittableRandom rng;
    private int depth;

    Values(Schema.Message spec, SplittableRandom rng) {
        this.spec = spec;
        this.rng = rng;
    }

    ObjectNode message(short version) {
        depth = 0;
        return struct(spec.fields(), version);
    }

    /**
     * Tagged fields the message does not define, sometimes (none in versions that are not
     * flexible): Kafka keeps them and writes them back, among the known ones in tag order.
     */
    List<RawTaggedField> unknownTags(short version) {
        List<RawTaggedField> out = new ArrayList<>();
        if (!spec.flexibleVersions().contains(version) || !chance(4)) {
            return out;
        }
        Set<Integer> known = new TreeSet<>();
        for (Schema.Field f : spec.fields()) {
            if (f.tag() != null) {
                known.add(f.tag());
            }
        }
        TreeSet<Integer> tags = new TreeSet<>();
        for (int i = 0, n = 1 + rng.nextInt(2); i < n; i++) {
            int tag = chance(2) ? rng.nextInt(known.size() + 4) : 100 + rng.nextInt(10_000);
            if (!known.contains(tag)) {
                tags.add(tag);
            }
        }
        for (int tag : tags) {
            out.add(new RawTaggedField(tag, bytes()));
        }
        return out;
    }

    private boolean chance(int oneIn) {
        return rng.nextInt(oneIn) == 0;
    }

    private ObjectNode struct(List<Schema.Field> fields, short version) {
        ObjectNode node = NODES.objectNode();
        for (Schema.Field f : fields) {
            if (!f.versions().contains(version)) {
                continue;
            }
            if (f.isTaggedIn(version)) {
                // Absent (the converter reads the default), explicitly default, or random.
                if (chance(3)) {
                    continue;
                }
                JsonNode def = chance(3) ? defaultValue(f, version) : null;
                if (def != null) {
                    node.set(f.camelCaseName(), def);
                    continue;
                }
            }
            node.set(f.camelCaseName(), value(f, version));
        }
        return node;
    }

    private JsonNode value(Schema.Field f, short version) {
        boolean nullable = f.nullableVersions().contains(version);
        if (nullable && chance(5)) {
            return NullNode.instance;
        }
        if (!f.isArray()) {
            return single(f, f.type(), version);
        }
        ArrayNode array = NODES.arrayNode();
        int count = chance(4) ? 0 : 1 + rng.nextInt(depth >= WIDE_DEPTH ? 1 : 3);
        for (int i = 0; i < count; i++) {
            array.add(single(f, f.elementType(), version));
        }
        return array;
    }

    private JsonNode single(Schema.Field f, String type, short version) {
        switch (type) {
            case "bool":
                return BooleanNode.valueOf(rng.nextBoolean());
            case "int8":
                return new IntNode((int) integer(Byte.MIN_VALUE, Byte.MAX_VALUE));
            case "int16":
                return new IntNode((int) integer(Short.MIN_VALUE, Short.MAX_VALUE));
            case "uint16":
                return new IntNode((int) integer(0, 0xffff));
            case "int32":
                return new IntNode((int) integer(Integer.MIN_VALUE, Integer.MAX_VALUE));
            case "uint32":
                return new LongNode(integer(0, 0xffff_ffffL));
            case "int64":
                return new LongNode(integer(Long.MIN_VALUE, Long.MAX_VALUE));
            case "float64":
                return new DoubleNode(float64());
            case "string":
                return new TextNode(string());
            case "uuid":
                return new TextNode(uuid().toString());
            case "bytes":
            case "records":
                return new BinaryNode(bytes());
            default:
                depth++;
                ObjectNode node = struct(spec.structFields(f), version);
                depth--;
                return node;
        }
    }

    /** The field's default in JSON form, or null when it has no simple one (structs). */
    private JsonNode defaultValue(Schema.Field f, short version) {
        String def = f.defaultValue();
        if (f.isArray()) {
            return "null".equals(def) ? NullNode.instance : NODES.arrayNode();
        }
        if ("null".equals(def)) {
            return NullNode.instance;
        }
        switch (f.type()) {
            case "bool":
                return BooleanNode.valueOf(Boolean.parseBoolean(def));
            case "int8":
            case "int16":
            case "uint16":
            case "int32":
                return new IntNode(def == null ? 0 : Long.decode(def).intValue());
            case "uint32":
            case "int64":
                return new LongNode(def == null ? 0 : Long.decode(def));
            case "float64":
                return new DoubleNode(def == null ? 0 : Double.parseDouble(def));
            case "string":
                return new TextNode(def == null ? "" : def);
            case "uuid":
                return new TextNode(Uuid.ZERO_UUID.toString());
            case "bytes":
            case "records":
                return new BinaryNode(new byte[0]);
            default:
                return null;
        }
    }

    /** Edge cases (0, -1, 1, the bounds) half the time, else uniform in [min, max]. */
    private long integer(long min, long max) {
        if (chance(2)) {
            long[] edges = {0, -1, 1, min, max};
            long v = edges[rng.nextInt(edges.length)];
            return Math.max(min, Math.min(max, v));
        }
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
            return rng.nextLong();
        }
        return min + rng.nextLong(max - min + 1);
    }

    private double float64() {
        double[] edges = {0.0, -0.0, 1.0, -1.5, 0.1, 1e-3, 1e7, 123456789.125, Double.MIN_VALUE, Double.MAX_VALUE};
        if (chance(2)) {
            return edges[rng.nextInt(edges.length)];
        }
        while (true) {
            double d = chance(2) ? Double.longBitsToDouble(rng.nextLong()) : (rng.nextDouble() - 0.5) * 1e6;
            if (Double.isFinite(d)) {
                return d;
            }
        }
    }

    /** Code points worth escaping or multi-byte in UTF-8; no lone surrogates. */
    private static final int[] SPECIAL = {'"', '\\', '/', '\n', '\r', '\t', 0x00, 0x01, 0x1f, 0x7f, 0xe9, 0x2028,
        0x20ac, 0xfeff, 0x1f600, 0x10ffff};

    private String string() {
        if (chance(5)) {
            return "";
        }
        int len = 1 + rng.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            if (chance(4)) {
                sb.appendCodePoint(SPECIAL[rng.nextInt(SPECIAL.length)]);
            } else {
                sb.append((char) (' ' + 1 + rng.nextInt(94)));
            }
        }
        return sb.toString();
    }

    private Uuid uuid() {
        return chance(5) ? Uuid.ZERO_UUID : new Uuid(rng.nextLong(), rng.nextLong());
    }

    private byte[] bytes() {
        byte[] out = new byte[chance(5) ? 0 : 1 + rng.nextInt(9)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) rng.nextInt(256);
        }
        return out;
    }
}
