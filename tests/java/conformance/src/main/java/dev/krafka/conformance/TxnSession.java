package dev.krafka.conformance;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * A transactional KafkaProducer that the test drives one step at a time over standard input, so
 * that its transactions can be interleaved with krafka's, left open (hanging) for the admin
 * tests, or fenced by someone else and then asked to go on.
 *
 * <pre>
 * txn-session &lt;bootstrap&gt; &lt;transactional-id&gt; &lt;transaction-timeout-ms&gt;
 *     Makes the producer (acks=all, idempotent, linger 5 ms) and calls initTransactions, then
 *     reads one command per line and answers each with exactly one JSON line on stdout:
 *       (start)                            {"op":"init","ok":true}
 *       begin                              {"op":"begin","ok":true}
 *       send &lt;topic&gt; &lt;partition&gt; &lt;count&gt; [key-prefix]
 *                                          {"op":"send","ok":true,"records":[{"topic":..,
 *                                           "partition":..,"offset":..,"key":..,"value":..},..]}
 *           count records with keys "&lt;key-prefix&gt;-&lt;n&gt;" (n counts the session's records from 0;
 *           the prefix defaults to the transactional id) and values "value-of-&lt;key&gt;", flushed
 *           and acknowledged before the answer.
 *       commit | abort                     {"op":"commit","ok":true}
 *       close                              {"op":"close","ok":true}, then exits (a graceful close,
 *                                          at most 10 s, aborts a transaction still open)
 *       hang                               {"op":"hang","ok":true}, then the JVM halts without
 *                                          closing the producer: its open transaction stays open
 *                                          on the brokers until it times out or is aborted
 *     A command that fails answers {"op":..,"ok":false,"exception":"&lt;simple class name&gt;",
 *     "message":..,"causes":["&lt;class&gt;",..]} (the exception and its causes, outermost first)
 *     and the session goes on, so the test sees what the next call does. End of input closes
 *     gracefully, as "close" does.
 * </pre>
 */
final class TxnSession {
    private TxnSession() {}

    private static final JsonMapper MAPPER = new JsonMapper();

    /** A producer whose send failed in the wrong state may otherwise wait forever to close. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    static void run(String bootstrap, String transactionalId, long timeoutMs) throws Exception {
        Producer<String, String> producer = TxnProduce.transactional(bootstrap, transactionalId, timeoutMs);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long next = 0;
        answer(attempt("init", producer::initTransactions));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            switch (words[0]) {
                case "" -> { }
                case "begin" -> answer(attempt("begin", producer::beginTransaction));
                case "commit" -> answer(attempt("commit", producer::commitTransaction));
                case "abort" -> answer(attempt("abort", producer::abortTransaction));
                case "send" -> {
                    if (words.length < 4 || words.length > 5) {
                        answer(failure("send", new IllegalArgumentException(
                                "usage: send <topic> <partition> <count> [key-prefix]")));
                        continue;
                    }
                    String prefix = words.length == 5 ? words[4] : transactionalId;
                    int count = Integer.parseInt(words[3]);
                    answer(send(producer, words[1], Integer.parseInt(words[2]), count, prefix, next));
                    next += count;
                }
                case "close" -> {
                    producer.close(CLOSE_TIMEOUT);
                    answer(success("close"));
                    return;
                }
                case "hang" -> {
                    answer(success("hang"));
                    Runtime.getRuntime().halt(0);
                }
                default -> answer(failure(words[0], new IllegalArgumentException("unknown command " + words[0])));
            }
        }
        producer.close(CLOSE_TIMEOUT);
    }

    /** A step that may throw. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static ObjectNode attempt(String op, Step step) {
        try {
            step.run();
            return success(op);
        } catch (Exception e) {
            return failure(op, e);
        }
    }

    private static ObjectNode send(Producer<String, String> producer, String topic, int partition, int count,
            String prefix, long first) {
        try {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (long n = first; n < first + count; n++) {
                String key = prefix + "-" + n;
                keys.add(key);
                sent.add(producer.send(new ProducerRecord<>(topic, partition, key, "value-of-" + key)));
            }
            producer.flush();
            ObjectNode out = success("send");
            ArrayNode records = out.putArray("records");
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata m = sent.get(i).get();
                ObjectNode record = records.addObject();
                record.put("topic", m.topic());
                record.put("partition", m.partition());
                record.put("offset", m.offset());
                record.put("key", keys.get(i));
                record.put("value", "value-of-" + keys.get(i));
            }
            return out;
        } catch (Exception e) {
            return failure("send", e);
        }
    }

    private static ObjectNode success(String op) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("op", op);
        out.put("ok", true);
        return out;
    }

    /** The failure of `op`; an ExecutionException (a send's future) is reported by its cause. */
    private static ObjectNode failure(String op, Throwable error) {
        Throwable shown = error instanceof ExecutionException && error.getCause() != null ? error.getCause() : error;
        ObjectNode out = MAPPER.createObjectNode();
        out.put("op", op);
        out.put("ok", false);
        out.put("exception", shown.getClass().getSimpleName());
        out.put("message", String.valueOf(shown.getMessage()));
        ArrayNode causes = out.putArray("causes");
        for (Throwable t = shown; t != null && causes.size() < 10; t = t.getCause()) {
            causes.add(t.getClass().getSimpleName());
        }
        return out;
    }

    private static void answer(ObjectNode line) throws Exception {
        System.out.println(MAPPER.writeValueAsString(line));
        System.out.flush();
    }
}
