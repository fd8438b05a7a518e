package org.ciphersync.vault.format;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.ciphersync.vault.VaultException;

/** The vault's JSON reader/writer with bounded nesting and string sizes (input may be hostile). */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(1 << 20).maxNumberLength(32).build());
    }

    private Json() {
    }

    static JsonNode read(byte[] bytes, String what) {
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw VaultException.integrity(what + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw VaultException.integrity(what + " is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    static byte[] write(Object node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(JsonNode n, String field, String what) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw VaultException.integrity(what + " has no text field '" + field + "'");
        }
        return v.asText();
    }

    static long number(JsonNode n, String field, String what) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw VaultException.integrity(what + " has no integer field '" + field + "'");
        }
        return v.asLong();
    }
}
