package org.ciphersync.core.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
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
 */
public final class StateStore {
    public static final int FORMAT = 1;
    /** Larger state files are refused (≈ 2 million items). */
    public static final long MAX_BYTES = 512L * 1024 * 1024;

    private static final Pattern NODE_SET = Pattern.compile("[0-9a-f]{8,64}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.NON_NULL))
            .build();
    private static final SecureRandom RANDOM = new SecureRandom();

    record Item(String p, String t, long s, long m, String h) {
    }

    record StateFile(int format, String nodeSet, List<Item> items) {
    }

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
            StateFile f = JSON.readValue(bytes, StateFile.class);
            return Optional.of(validate(f, nodeSetId));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException("state file " + where + " is damaged (" + shortMessage(e)
                    + "); delete it to start over (the next two-way run keeps every version)", e);
        }
    }

    private static String shortMessage(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    private static NodeState validate(StateFile f, String nodeSetId) {
        if (f == null || f.format() != FORMAT) {
            throw new IllegalArgumentException("unsupported format " + (f == null ? "null" : f.format()));
        }
        if (!nodeSetId.equals(f.nodeSet())) {
            throw new IllegalArgumentException("belongs to node set " + f.nodeSet());
        }
        Map<RelPath, ItemState> items = new LinkedHashMap<>();
        List<Item> list = f.items() == null ? List.of() : f.items();
        for (int i = 0; i < list.size(); i++) {
            Item it = list.get(i);
            if (it == null || it.p() == null || it.t() == null) {
                throw new IllegalArgumentException("item " + i + " lacks a path or type");
            }
            RelPath p;
            try {
                p = RelPath.of(it.p());
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("item " + i + ": " + e.getMessage(), e);
            }
            EntryType type = switch (it.t()) {
                case "f" -> EntryType.FILE;
                case "d" -> EntryType.DIRECTORY;
                case "l" -> EntryType.SYMLINK;
                default -> throw new IllegalArgumentException("item " + i + " has unknown type '" + it.t() + "'");
            };
            if (it.s() < 0) {
                throw new IllegalArgumentException("item " + i + " has negative size " + it.s());
            }
            if (it.h() != null && !isHash(it.h())) {
                throw new IllegalArgumentException("item " + i + " has a malformed hash");
            }
            if (p.isRoot() || items.put(p, new ItemState(type, it.s(), it.m(), it.h())) != null) {
                throw new IllegalArgumentException("item " + i + " repeats or names the root");
            }
        }
        return new NodeState(nodeSetId, items);
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
        List<Item> items = new ArrayList<>(state.items().size());
        state.items().forEach((p, s) -> items.add(new Item(p.value(), switch (s.type()) {
            case FILE -> "f";
            case DIRECTORY -> "d";
            case SYMLINK -> "l";
            case OTHER -> throw new IllegalArgumentException("state of " + p + " has type OTHER");
        }, s.size(), s.mtimeNanos(), s.fileHashHex())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JSON.writeValue(out, new StateFile(FORMAT, state.nodeSetId(), items));
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
