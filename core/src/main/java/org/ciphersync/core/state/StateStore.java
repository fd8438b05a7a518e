package org.ciphersync.core.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.fs.FileAttrs;
import org.ciphersync.core.fs.FileTree;
import org.ciphersync.core.path.InvalidPathException;
import org.ciphersync.core.path.RelPath;

/**
 * Reads and writes a node's {@link NodeState} as {@code .ciphersync/state/<node set id>.json} on
 * that node. The file is written to a temporary name, forced to disk and renamed, so a crash
 * leaves the old state or the new one, never a torn file. A state file is input from storage and
 * treated as hostile: bounded size, every path validated, every field checked.
 *
 * <pre>{@code
 * {"format":1,"nodeSet":"3f1c…","items":[
 *   {"p":"docs/a.txt","t":"f","s":12,"m":1704067200000000000,"h":"9f86d0…"},
 *   {"p":"docs","t":"d","s":0,"m":1704067200000000000}]}
 * }</pre>
 *
 * <p>Read and written with Jackson's streaming parser and generator: binding records by reflection
 * cost a fresh JVM several tenths of a second on a 20,000-item state, in every run.
 */
public final class StateStore {
    public static final int FORMAT = 1;
    /** Larger state files are refused (≈ 2 million items). */
    public static final long MAX_BYTES = 512L * 1024 * 1024;

    private static final Pattern NODE_SET = Pattern.compile("[0-9a-f]{8,64}");
    private static final JsonFactory JSON = new JsonFactory();
    private static final SecureRandom RANDOM = new SecureRandom();

    private StateStore() {
    }

    public static RelPath pathOf(String nodeSetId) {
        if (!NODE_SET.matcher(nodeSetId).matches()) {
            throw new IllegalArgumentException("node set id '" + nodeSetId + "' is not 8-64 lower-case hex digits");
        }
        return EngineArea.STATE.resolve(nodeSetId + ".json");
    }

    /**
     * The state this node keeps for the node set, or empty when it has none yet.
     *
     * @throws IOException when the file exists but cannot be read or is not a valid state file
     *                     (the message says which and that deleting it starts over safely)
     */
    public static Optional<NodeState> load(FileTree tree, String nodeSetId) throws IOException {
        RelPath path = pathOf(nodeSetId);
        Optional<FileAttrs> attrs = tree.stat(path);
        if (attrs.isEmpty()) {
            return Optional.empty();
        }
        String where = tree.describe() + "/" + path;
        if (!attrs.get().isFile() || attrs.get().size() > MAX_BYTES) {
            throw new IOException("state file " + where + " is not a regular file below "
                    + MAX_BYTES + " bytes; delete it to start over (the next two-way run keeps every version)");
        }
        byte[] bytes;
        try (SeekableByteChannel ch = tree.openRead(path)) {
            bytes = Channels.newInputStream(ch).readNBytes((int) Math.min(MAX_BYTES, attrs.get().size() + 1));
        }
        try {
            return Optional.of(parse(bytes, nodeSetId));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException("state file " + where + " is damaged (" + shortMessage(e)
                    + "); delete it to start over (the next two-way run keeps every version)", e);
        }
    }

    private static String shortMessage(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    /**
     * Parses and validates a state file: {@code format} and {@code nodeSet} must be this format
     * and node set, every item must have a valid path, a known type, a size ≥ 0 and, if any, a
     * well-formed hash; unknown fields are skipped.
     */
    private static NodeState parse(byte[] bytes, String nodeSetId) throws IOException {
        Map<RelPath, ItemState> items = new LinkedHashMap<>();
        Integer format = null;
        String nodeSet = null;
        try (JsonParser p = JSON.createParser(bytes)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the file");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "format" -> format = value == JsonToken.VALUE_NULL ? null : p.getIntValue();
                    case "nodeSet" -> nodeSet = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "items" -> {
                        if (value != JsonToken.VALUE_NULL) {
                            expect(value, JsonToken.START_ARRAY, "items");
                            for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                                readItem(p, i, items);
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("unexpected content after the state");
            }
        }
        if (format == null || format != FORMAT) {
            throw new IllegalArgumentException("unsupported format " + format);
        }
        if (!nodeSetId.equals(nodeSet)) {
            throw new IllegalArgumentException("belongs to node set " + nodeSet);
        }
        return new NodeState(nodeSetId, items);
    }

    private static void readItem(JsonParser p, int i, Map<RelPath, ItemState> items) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("item " + i + " lacks a path or type");
        }
        String path = null;
        String type = null;
        String hash = null;
        long size = 0;
        long mtime = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            boolean isNull = value == JsonToken.VALUE_NULL;
            switch (field) {
                case "p" -> path = isNull ? null : p.getValueAsString();
                case "t" -> type = isNull ? null : p.getValueAsString();
                case "s" -> size = isNull ? 0 : p.getLongValue();
                case "m" -> mtime = isNull ? 0 : p.getLongValue();
                case "h" -> hash = isNull ? null : p.getValueAsString();
                default -> p.skipChildren();
            }
        }
        if (path == null || type == null) {
            throw new IllegalArgumentException("item " + i + " lacks a path or type");
        }
        RelPath rel;
        try {
            rel = RelPath.of(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("item " + i + ": " + e.getMessage(), e);
        }
        EntryType t = switch (type) {
            case "f" -> EntryType.FILE;
            case "d" -> EntryType.DIRECTORY;
            case "l" -> EntryType.SYMLINK;
            default -> throw new IllegalArgumentException("item " + i + " has unknown type '" + type + "'");
        };
        if (size < 0) {
            throw new IllegalArgumentException("item " + i + " has negative size " + size);
        }
        if (hash != null && !isHash(hash)) {
            throw new IllegalArgumentException("item " + i + " has a malformed hash");
        }
        if (rel.isRoot() || items.put(rel, new ItemState(t, size, mtime, hash)) != null) {
            throw new IllegalArgumentException("item " + i + " repeats or names the root");
        }
    }

    private static void expect(JsonToken got, JsonToken want, String what) {
        if (got != want) {
            throw new IllegalArgumentException(what + " is not a JSON " + (want == JsonToken.START_ARRAY ? "array" : "object"));
        }
    }

    /** 64 lower-case hex digits (checked per item: a loop, where a regex costs more than the parse). */
    private static boolean isHash(String h) {
        if (h.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = h.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** Replaces the node's state file atomically (temporary name, fsync, rename, directory fsync). */
    public static void save(FileTree tree, NodeState state) throws IOException {
        RelPath path = pathOf(state.nodeSetId());
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + state.items().size() * 96);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeStringField("nodeSet", state.nodeSetId());
            g.writeArrayFieldStart("items");
            for (Map.Entry<RelPath, ItemState> e : state.sortedItems()) {
                ItemState s = e.getValue();
                g.writeStartObject();
                g.writeStringField("p", e.getKey().value());
                g.writeStringField("t", switch (s.type()) {
                    case FILE -> "f";
                    case DIRECTORY -> "d";
                    case SYMLINK -> "l";
                    case OTHER -> throw new IllegalArgumentException("state of " + e.getKey() + " has type OTHER");
                });
                g.writeNumberField("s", s.size());
                g.writeNumberField("m", s.mtimeNanos());
                if (s.fileHashHex() != null) {
                    g.writeStringField("h", s.fileHashHex());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        tree.createDirectories(EngineArea.STATE);
        for (var e : tree.list(EngineArea.STATE)) {
            if (EngineArea.isTempName(e.name()) && e.attrs().isFile()) {
                try {
                    tree.delete(EngineArea.STATE.resolve(e.name())); // left by an interrupted save
                } catch (IOException ignored) {
                    // harmless: never read
                }
            }
        }
        byte[] rnd = new byte[8];
        RANDOM.nextBytes(rnd);
        RelPath tmp = EngineArea.STATE.resolve(EngineArea.TEMP_PREFIX + HexFormat.of().formatHex(rnd));
        try {
            try (SeekableByteChannel ch = tree.createNew(tmp)) {
                ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            tree.fsync(tmp);
            tree.rename(tmp, path);
        } catch (IOException e) {
            try {
                tree.delete(tmp);
            } catch (IOException ignored) {
                // best effort; a later run's clean-up removes it
            }
            throw e;
        }
        tree.fsyncDirectory(EngineArea.STATE);
    }
}
