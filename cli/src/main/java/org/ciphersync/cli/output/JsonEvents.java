package org.ciphersync.cli.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --json} output: one JSON object per line, each with an {@code "event"} field, so scripts
 * can follow a run as it happens. Thread-safe.
 */
public final class JsonEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    private final PrintWriter out;

    public JsonEvents(PrintWriter out) {
        this.out = out;
    }

    /** Starts an event; add fields and {@link Event#emit()} it. */
    public Event event(String name) {
        return new Event(name);
    }

    public final class Event {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Event(String name) {
            fields.put("event", name);
        }

        public Event put(String key, Object value) {
            fields.put(key, value);
            return this;
        }

        public void emit() {
            String line;
            try {
                line = MAPPER.writeValueAsString(fields);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }
    }
}
