package dev.krafka.conformance;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.BufferedReader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Record batches (magic 2) written and read by Kafka's own record classes
 * ({@code MemoryRecordsBuilder}, {@code MemoryRecords}, {@code DefaultRecordBatch}).
 *
 * <pre>
 * records-write &lt;out-file&gt; &lt;seed&gt;
 *     For each codec (none, gzip, snappy, lz4, zstd), seeded random batches: plain, idempotent
 *     and transactional, create and log-append time, offset gaps, null/empty/~100 KB keys and
 *     values, headers with null values, commit and abort markers (control batches, also
 *     compressed ones). One line per batch: "&lt;codec&gt; &lt;hex&gt; &lt;json&gt;", the JSON being the
 *     batch as Kafka reads it back (see {@link #describe}).
 * records-read &lt;in-file&gt; &lt;out-file&gt;
 *     Reads lines "&lt;hex&gt;" of one or more batches back to back; for each line writes
 *     "ok &lt;json-array&gt;" (one description per batch, after ensureValid(), which checks the
 *     CRC; every byte of the line must belong to a batch) or "err &lt;message&gt;".
 * </pre>
 */
final class Records {
    private Records() {}

    private static final JsonMapper MAPPER = new JsonMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();
    private static final String[] CODECS = {"none", "gzip", "snappy", "lz4", "zstd"};
    /** Around the time this was written, so timestamps look real. */
    private static final long NOW = 1_790_000_000_000L;

    static void write(Path out, long seed) throws Exception {
        long started = System.nanoTime();
        int batches = 0;
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (String codec : CODECS) {
                SplittableRandom rnd = new SplittableRandom(seed ^ codec.hashCode() * 0x9E3779B97F4A7C15L);
                List<byte[]> made = new ArrayList<>();
                // Fixed shapes first, then random mixes.
                made.add(dataBatch(rnd, codec, Kind.PLAIN, TimestampType.CREATE_TIME, false, false));
                made.add(dataBatch(rnd, codec, Kind.PLAIN, TimestampType.CREATE_TIME, true, false));
                made.add(dataBatch(rnd, codec, Kind.IDEMPOTENT, TimestampType.CREATE_TIME, false, false));
                made.add(dataBatch(rnd, codec, Kind.IDEMPOTENT_WRAP, TimestampType.CREATE_TIME, false, false));
                made.add(dataBatch(rnd, codec, Kind.TRANSACTIONAL, TimestampType.CREATE_TIME, false, false));
                made.add(dataBatch(rnd, codec, Kind.PLAIN, TimestampType.LOG_APPEND_TIME, false, false));
                made.add(dataBatch(rnd, codec, Kind.TRANSACTIONAL, TimestampType.LOG_APPEND_TIME, true, false));
                made.add(dataBatch(rnd, codec, Kind.PLAIN, TimestampType.CREATE_TIME, false, true));
                made.add(dataBatch(rnd, codec, Kind.TRANSACTIONAL, TimestampType.CREATE_TIME, false, true));
                made.add(singleNullRecord(rnd, codec));
                made.add(controlBatch(rnd, codec, ControlRecordType.COMMIT));
                made.add(controlBatch(rnd, codec, ControlRecordType.ABORT));
                if (codec.equals("none")) {
                    // The broker's own path for markers (always uncompressed).
                    for (ControlRecordType type : new ControlRecordType[] {ControlRecordType.COMMIT, ControlRecordType.ABORT}) {
                        EndTransactionMarker marker = new EndTransactionMarker(type, rnd.nextInt(0, 1000));
                        MemoryRecords records = MemoryRecords.withEndTransactionMarker(rnd.nextLong(0, 1L << 40),
                                NOW + rnd.nextLong(-100_000, 100_000), rnd.nextInt(0, 100), rnd.nextLong(0, 1L << 40),
                                (short) rnd.nextInt(0, Short.MAX_VALUE), marker);
                        made.add(bytes(records));
                    }
                }
                Kind[] kinds = Kind.values();
                for (int i = 0; i < 6; i++) {
                    made.add(dataBatch(rnd, codec, kinds[rnd.nextInt(kinds.length)],
                            rnd.nextBoolean() ? TimestampType.CREATE_TIME : TimestampType.LOG_APPEND_TIME,
                            rnd.nextBoolean(), rnd.nextInt(4) == 0));
                }
                for (byte[] batch : made) {
                    List<ObjectNode> described = read(batch);
                    if (described.size() != 1) {
                        throw new IllegalStateException("expected one batch, Kafka read " + described.size());
                    }
                    w.write(codec + " " + HEX.formatHex(batch) + " " + MAPPER.writeValueAsString(described.get(0)) + "\n");
                    batches++;
                }
            }
        }
        System.err.printf("[records] %d batches written in %d ms%n", batches, (System.nanoTime() - started) / 1_000_000);
    }

    private enum Kind { PLAIN, IDEMPOTENT, IDEMPOTENT_WRAP, TRANSACTIONAL }

    private static Compression compression(String codec, SplittableRandom rnd) {
        // Mostly the default level, sometimes another one.
        boolean level = rnd.nextInt(3) == 0;
        return switch (codec) {
            case "none" -> Compression.NONE;
            case "gzip" -> level ? Compression.gzip().level(rnd.nextInt(1, 10)).build() : Compression.gzip().build();
            case "snappy" -> Compression.snappy().build();
            case "lz4" -> level ? Compression.lz4().level(rnd.nextInt(1, 18)).build() : Compression.lz4().build();
            case "zstd" -> level ? Compression.zstd().level(rnd.nextInt(-5, 20)).build() : Compression.zstd().build();
            default -> throw new IllegalArgumentException(codec);
        };
    }

    private static MemoryRecordsBuilder builder(SplittableRandom rnd, String codec, TimestampType type, long baseOffset,
            long producerId, short epoch, int sequence, boolean transactional, boolean control) {
        int leaderEpoch = rnd.nextInt(3) == 0 ? RecordBatch.NO_PARTITION_LEADER_EPOCH : rnd.nextInt(0, 1 << 20);
        long logAppendTime = type == TimestampType.LOG_APPEND_TIME ? NOW + rnd.nextLong(0, 1_000_000) : RecordBatch.NO_TIMESTAMP;
        return MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V2, compression(codec, rnd), type,
                baseOffset, logAppendTime, producerId, epoch, sequence, transactional, control, leaderEpoch);
    }

    private static byte[] dataBatch(SplittableRandom rnd, String codec, Kind kind, TimestampType type, boolean gaps,
            boolean large) {
        long producerId = RecordBatch.NO_PRODUCER_ID;
        short epoch = RecordBatch.NO_PRODUCER_EPOCH;
        int sequence = RecordBatch.NO_SEQUENCE;
        if (kind != Kind.PLAIN) {
            producerId = rnd.nextLong(0, Long.MAX_VALUE);
            epoch = (short) rnd.nextInt(0, Short.MAX_VALUE + 1);
            sequence = kind == Kind.IDEMPOTENT_WRAP ? Integer.MAX_VALUE - rnd.nextInt(0, 3) : rnd.nextInt(0, Integer.MAX_VALUE);
        }
        long baseOffset = rnd.nextBoolean() ? 0 : rnd.nextLong(0, 1L << 50);
        MemoryRecordsBuilder b = builder(rnd, codec, type, baseOffset, producerId, epoch, sequence,
                kind == Kind.TRANSACTIONAL, false);
        int count = large ? rnd.nextInt(1, 4) : rnd.nextInt(1, 25);
        int bigAt = rnd.nextInt(count);
        long offset = baseOffset;
        for (int i = 0; i < count; i++) {
            // NO_TIMESTAMP (-1) now and then; deltas go both ways.
            long timestamp = rnd.nextInt(12) == 0 ? RecordBatch.NO_TIMESTAMP : NOW + rnd.nextLong(-3_600_000, 3_600_000);
            byte[] key = nullableBytes(rnd, 40);
            byte[] value = large && i == bigAt ? bytes(rnd, 100_000 + rnd.nextInt(0, 2_000)) : nullableBytes(rnd, 300);
            b.appendWithOffset(offset, timestamp, key, value, headers(rnd));
            offset += gaps ? rnd.nextInt(1, 5) : 1;
        }
        return bytes(b.build());
    }

    private static byte[] singleNullRecord(SplittableRandom rnd, String codec) {
        MemoryRecordsBuilder b = builder(rnd, codec, TimestampType.CREATE_TIME, 0, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, false, false);
        b.appendWithOffset(0, NOW, (byte[]) null, (byte[]) null, Record.EMPTY_HEADERS);
        return bytes(b.build());
    }

    private static byte[] controlBatch(SplittableRandom rnd, String codec, ControlRecordType type) {
        MemoryRecordsBuilder b = builder(rnd, codec, TimestampType.CREATE_TIME, rnd.nextLong(0, 1L << 40),
                rnd.nextLong(0, 1L << 40), (short) rnd.nextInt(0, Short.MAX_VALUE), RecordBatch.NO_SEQUENCE, true, true);
        b.appendEndTxnMarker(NOW + rnd.nextLong(-100_000, 100_000), new EndTransactionMarker(type, rnd.nextInt(0, 1 << 20)));
        return bytes(b.build());
    }

    private static byte[] nullableBytes(SplittableRandom rnd, int max) {
        return switch (rnd.nextInt(6)) {
            case 0 -> null;
            case 1 -> new byte[0];
            default -> bytes(rnd, rnd.nextInt(1, max));
        };
    }

    private static byte[] bytes(SplittableRandom rnd, int len) {
        byte[] b = new byte[len];
        // Half random, half repetitive, so the codecs have something to compress.
        if (rnd.nextBoolean()) {
            for (int i = 0; i < len; i++) {
                b[i] = (byte) rnd.nextInt(256);
            }
        } else {
            byte[] word = ("krafka-" + rnd.nextInt(1000) + "-").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < len; i++) {
                b[i] = word[i % word.length];
            }
        }
        return b;
    }

    private static final String[] HEADER_KEYS = {"", "trace-id", "retry", "content-type", "ключ", "鍵", "emoji-\uD83D\uDE00"};

    private static Header[] headers(SplittableRandom rnd) {
        int n = switch (rnd.nextInt(4)) {
            case 0, 1 -> 0;
            case 2 -> rnd.nextInt(1, 3);
            default -> rnd.nextInt(3, 8);
        };
        Header[] headers = new Header[n];
        for (int i = 0; i < n; i++) {
            String key = HEADER_KEYS[rnd.nextInt(HEADER_KEYS.length)] + (rnd.nextBoolean() ? "" : "-" + i);
            headers[i] = new RecordHeader(key, nullableBytes(rnd, 60));
        }
        return headers;
    }

    private static byte[] bytes(MemoryRecords records) {
        ByteBuffer buf = records.buffer().duplicate();
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }

    static void read(Path in, Path out) throws Exception {
        long started = System.nanoTime();
        int lines = 0;
        int batches = 0;
        try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8);
                Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lines++;
                String result;
                try {
                    List<ObjectNode> described = read(HEX.parseHex(line.trim()));
                    batches += described.size();
                    ArrayNode array = NODES.arrayNode();
                    array.addAll(described);
                    result = "ok " + MAPPER.writeValueAsString(array);
                } catch (Exception e) {
                    result = "err " + String.valueOf(e).replace('\n', ' ');
                }
                w.write(result);
                w.write('\n');
            }
        }
        System.err.printf("[records] read %d batches on %d lines in %d ms%n", batches, lines,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Every batch of {@code bytes}, CRC-checked; the bytes must hold whole batches only. */
    static List<ObjectNode> read(byte[] bytes) {
        MemoryRecords records = MemoryRecords.readableRecords(ByteBuffer.wrap(bytes));
        List<ObjectNode> out = new ArrayList<>();
        int consumed = 0;
        for (MutableRecordBatch batch : records.batches()) {
            batch.ensureValid();
            if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                throw new IllegalStateException("magic " + batch.magic());
            }
            out.add(describe((DefaultRecordBatch) batch));
            consumed += batch.sizeInBytes();
        }
        if (consumed != bytes.length) {
            throw new IllegalStateException("batches cover " + consumed + " of " + bytes.length + " bytes");
        }
        return out;
    }

    /** A batch as Kafka's reader sees it: header fields, then every record. */
    static ObjectNode describe(DefaultRecordBatch batch) {
        ObjectNode b = NODES.objectNode();
        b.put("baseOffset", batch.baseOffset());
        b.put("lastOffset", batch.lastOffset());
        b.put("partitionLeaderEpoch", batch.partitionLeaderEpoch());
        b.put("crc", batch.checksum());
        b.put("sizeInBytes", batch.sizeInBytes());
        b.put("compression", batch.compressionType().name);
        b.put("timestampType", batch.timestampType().name);
        b.put("transactional", batch.isTransactional());
        b.put("control", batch.isControlBatch());
        b.put("baseTimestamp", batch.baseTimestamp());
        b.put("maxTimestamp", batch.maxTimestamp());
        b.put("producerId", batch.producerId());
        b.put("producerEpoch", batch.producerEpoch());
        b.put("baseSequence", batch.baseSequence());
        b.put("lastSequence", batch.lastSequence());
        b.put("count", batch.countOrNull());
        ArrayNode recs = b.putArray("records");
        for (Record r : batch) {
            r.ensureValid();
            ObjectNode o = recs.addObject();
            o.put("offset", r.offset());
            o.put("timestamp", r.timestamp());
            o.put("sequence", r.sequence());
            o.put("key", hex(r.key()));
            o.put("value", hex(r.value()));
            ArrayNode hs = o.putArray("headers");
            for (Header h : r.headers()) {
                ObjectNode ho = hs.addObject();
                ho.put("key", HEX.formatHex(h.key().getBytes(StandardCharsets.UTF_8)));
                ho.put("value", h.value() == null ? null : HEX.formatHex(h.value()));
            }
            if (batch.isControlBatch()) {
                ObjectNode c = o.putObject("control");
                ControlRecordType type = ControlRecordType.parse(r.key());
                c.put("type", ControlRecordType.parseTypeId(r.key()));
                if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
                    c.put("coordinatorEpoch", EndTransactionMarker.deserialize(r).coordinatorEpoch());
                } else {
                    c.putNull("coordinatorEpoch");
                }
            } else {
                o.putNull("control");
            }
        }
        return b;
    }

    private static String hex(ByteBuffer buf) {
        if (buf == null) {
            return null;
        }
        ByteBuffer d = buf.duplicate();
        byte[] b = new byte[d.remaining()];
        d.get(b);
        return HEX.formatHex(b);
    }
}
