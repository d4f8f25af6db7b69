package dev.krafka.conformance;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Test vectors of Kafka's key partitioning, from kafka-clients itself.
 *
 * <pre>
 * partitioner-vectors &lt;out-file&gt; &lt;seed&gt; &lt;count&gt;
 *     Writes lines "&lt;key-hex|-&gt; &lt;murmur2&gt; &lt;toPositive&gt; &lt;p1&gt;,&lt;p2&gt;,..." where murmur2 is
 *     Utils.murmur2(key) (a signed int), toPositive is Utils.toPositive of it, and p_i is
 *     BuiltInPartitioner.partitionForKey(key, n) for each n in PARTITION_COUNTS. Keys: the
 *     empty key, every length 1..16 (all tail lengths of the hash), some long and some UTF-8
 *     keys, then random ones. "-" is the empty key.
 * </pre>
 */
final class PartitionerVectors {
    private PartitionerVectors() {}

    static final int[] PARTITION_COUNTS = {1, 2, 3, 5, 7, 10, 12, 16, 100, 1000, 2147483647};

    static void write(Path out, long seed, int count) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        HexFormat hex = HexFormat.of();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            line(w, hex, new byte[0]);
            for (int len = 1; len <= 16; len++) {
                byte[] key = new byte[len];
                for (int i = 0; i < len; i++) {
                    key[i] = (byte) (0x80 + 17 * i + len);
                }
                line(w, hex, key);
            }
            for (String s : new String[] {"a", "key", "user-42", "order:1234567890", "ключ", "\u00e9t\u00e9 \uD83D\uDE00"}) {
                line(w, hex, s.getBytes(StandardCharsets.UTF_8));
            }
            byte[] big = new byte[1000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) i;
            }
            line(w, hex, big);
            for (int n = 0; n < count; n++) {
                byte[] key = new byte[random.nextInt(0, 64)];
                for (int i = 0; i < key.length; i++) {
                    key[i] = (byte) random.nextInt(256);
                }
                line(w, hex, key);
            }
        }
    }

    private static void line(BufferedWriter w, HexFormat hex, byte[] key) throws Exception {
        int hash = Utils.murmur2(key);
        StringBuilder sb = new StringBuilder();
        sb.append(key.length == 0 ? "-" : hex.formatHex(key)).append(' ')
                .append(hash).append(' ').append(Utils.toPositive(hash)).append(' ');
        for (int i = 0; i < PARTITION_COUNTS.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(BuiltInPartitioner.partitionForKey(key, PARTITION_COUNTS[i]));
        }
        w.write(sb.toString());
        w.newLine();
    }
}
