package dev.krafka.conformance;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Kafka's message definitions ({@code common/message/*.json} inside the kafka-clients jar), read
 * just far enough to generate random values: field names, types, versions, nullability, tags
 * and defaults.
 */
final class Schema {
    private Schema() {}

    /** A Kafka version range such as "0+", "3-5", "7" or "none". */
    record Versions(int min, int max) {
        static final Versions NONE = new Versions(0, -1);

        static Versions parse(String spec) {
            String s = spec.trim();
            if (s.equals("none")) {
                return NONE;
            }
            if (s.endsWith("+")) {
                return new Versions(Integer.parseInt(s.substring(0, s.length() - 1)), Short.MAX_VALUE);
            }
            int dash = s.indexOf('-');
            if (dash > 0) {
                return new Versions(Integer.parseInt(s.substring(0, dash)), Integer.parseInt(s.substring(dash + 1)));
            }
            int v = Integer.parseInt(s);
            return new Versions(v, v);
        }

        boolean contains(int version) {
            return min <= version && version <= max;
        }
    }

    record Field(
            String name,
            String type,
            Versions versions,
            Versions nullableVersions,
            Versions taggedVersions,
            Integer tag,
            String defaultValue,
            List<Field> fields) {

        /** The key of the field in Kafka's JSON form and the name of its accessor. */
        String camelCaseName() {
            return Character.toLowerCase(name.charAt(0)) + name.substring(1);
        }

        boolean isArray() {
            return type.startsWith("[]");
        }

        /** The type of the value, or of the array's elements. */
        String elementType() {
            return isArray() ? type.substring(2) : type;
        }

        boolean isTaggedIn(int version) {
            return tag != null && taggedVersions.contains(version);
        }
    }

    record Message(
            String name,
            String type,
            Integer apiKey,
            List<String> listeners,
            Versions validVersions,
            Versions flexibleVersions,
            boolean latestVersionUnstable,
            List<Field> fields,
            Map<String, List<Field>> structs) {

        Message withLatestVersionUnstable() {
            return new Message(name, type, apiKey, listeners, validVersions, flexibleVersions, true, fields, structs);
        }

        /** The generated Java class holding this message. */
        String dataClassName() {
            String simple = type.equals("data") ? name : name + "Data";
            return "org.apache.kafka.common.message." + simple;
        }

        String converterClassName() {
            return dataClassName() + "JsonConverter";
        }

        /** The fields of a struct type used by this message. */
        List<Field> structFields(Field field) {
            if (!field.fields().isEmpty()) {
                return field.fields();
            }
            List<Field> fields = structs.get(field.elementType());
            if (fields == null) {
                throw new IllegalStateException(name + ": unknown struct type " + field.type());
            }
            return fields;
        }
    }

    static final List<String> PRIMITIVES = List.of(
            "bool", "int8", "int16", "uint16", "int32", "uint32", "int64", "float64", "string", "uuid",
            "bytes", "records");

    static boolean isPrimitive(String type) {
        return PRIMITIVES.contains(type);
    }

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    /** Every message definition in the jar that holds Kafka's generated message classes. */
    static List<Message> loadAll() throws IOException, URISyntaxException, ClassNotFoundException {
        Class<?> anchor = Class.forName("org.apache.kafka.common.message.RequestHeaderData");
        Path jar = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Message> out = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.startsWith("common/message/") || !name.endsWith(".json")) {
                    continue;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    out.add(parse(MAPPER.readTree(in)));
                }
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    private static Message parse(JsonNode root) {
        Map<String, List<Field>> structs = new HashMap<>();
        for (JsonNode common : iterable(root.get("commonStructs"))) {
            structs.put(common.get("name").asText(), fields(common.get("fields"), structs));
        }
        List<Field> fields = fields(root.get("fields"), structs);
        List<String> listeners = new ArrayList<>();
        for (JsonNode l : iterable(root.get("listeners"))) {
            listeners.add(l.asText());
        }
        JsonNode unstable = root.get("latestVersionUnstable");
        return new Message(
                root.get("name").asText(),
                root.get("type").asText(),
                root.has("apiKey") ? root.get("apiKey").asInt() : null,
                listeners,
                Versions.parse(root.get("validVersions").asText()),
                root.has("flexibleVersions") ? Versions.parse(root.get("flexibleVersions").asText()) : Versions.NONE,
                unstable != null && unstable.asBoolean(),
                fields,
                structs);
    }

    private static List<Field> fields(JsonNode array, Map<String, List<Field>> structs) {
        List<Field> out = new ArrayList<>();
        for (JsonNode f : iterable(array)) {
            List<Field> nested = fields(f.get("fields"), structs);
            String type = f.get("type").asText();
            if (!nested.isEmpty()) {
                // Inline struct definitions are usable by name elsewhere in the file too.
                structs.put(type.startsWith("[]") ? type.substring(2) : type, nested);
            }
            out.add(new Field(
                    f.get("name").asText(),
                    type,
                    Versions.parse(f.get("versions").asText()),
                    f.has("nullableVersions") ? Versions.parse(f.get("nullableVersions").asText()) : Versions.NONE,
                    f.has("taggedVersions") ? Versions.parse(f.get("taggedVersions").asText()) : Versions.NONE,
                    f.has("tag") ? f.get("tag").asInt() : null,
                    f.has("default") ? f.get("default").asText() : null,
                    nested));
        }
        return out;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node == null ? List.of() : node;
    }
}
