package org.ciphersync.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ciphersync.core.fs.MemoryFileTree.file;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.ciphersync.core.fs.EntryType;
import org.ciphersync.core.fs.FaultyFileTree;
import org.ciphersync.core.fs.MemoryFileTree;
import org.ciphersync.core.path.RelPath;
import org.junit.jupiter.api.Test;

class StateStoreTest {
    static final String ID = "00112233445566778899aabbccddeeff";

    @Test
    void saveThenLoad_roundTrips() throws IOException {
        MemoryFileTree t = MemoryFileTree.of();
        NodeState s = new NodeState(ID, Map.of(
                RelPath.of("docs/a.txt"), new ItemState(EntryType.FILE, 12, 1_704_067_200_000_000_001L, "ab".repeat(32)),
                RelPath.of("docs"), new ItemState(EntryType.DIRECTORY, 0, 5, null)));
        StateStore.save(t, s);
        assertThat(StateStore.load(t, ID)).contains(s);
        assertThat(t.stat(RelPath.of(".ciphersync/state/" + ID + ".json"))).isPresent();
    }

    @Test
    void missingState_isEmpty() throws IOException {
        assertThat(StateStore.load(MemoryFileTree.of(), ID)).isEmpty();
    }

    @Test
    void failedSave_keepsTheOldStateAndLeavesNoTemporaryFile() throws IOException {
        MemoryFileTree mem = MemoryFileTree.of();
        NodeState old = new NodeState(ID, Map.of(RelPath.of("a"), new ItemState(EntryType.FILE, 1, 1, null)));
        StateStore.save(mem, old);
        FaultyFileTree faulty = new FaultyFileTree(mem);
        faulty.inject(FaultyFileTree.Fault.on(FaultyFileTree.Op.RENAME));
        assertThatThrownBy(() -> StateStore.save(faulty, NodeState.empty(ID))).isInstanceOf(IOException.class);
        assertThat(StateStore.load(mem, ID)).contains(old);
        assertThat(mem.list(EngineArea.STATE)).hasSize(1);
    }

    static void corrupt(MemoryFileTree t, String json) throws IOException {
        t.createDirectories(EngineArea.STATE);
        t.write(".ciphersync/state/" + ID + ".json", json);
    }

    @Test
    void aStateWithFieldsInAnotherOrder_unknownFieldsAndWhitespace_loads() throws IOException {
        MemoryFileTree t = MemoryFileTree.of();
        corrupt(t, "{ \"items\" : [ {\"m\":7, \"future\":{\"a\":[1,2]}, \"t\":\"f\", \"h\":\"" + "cd".repeat(32)
                + "\", \"s\":3, \"p\":\"d/x\"}, {\"p\":\"d\",\"t\":\"d\",\"s\":0,\"m\":5,\"h\":null} ],\n"
                + "  \"comment\": \"written by a later version\", \"nodeSet\":\"" + ID + "\", \"format\":1 }");
        NodeState s = StateStore.load(t, ID).orElseThrow();
        assertThat(s.items()).containsOnly(
                Map.entry(RelPath.of("d/x"), new ItemState(EntryType.FILE, 3, 7, "cd".repeat(32))),
                Map.entry(RelPath.of("d"), new ItemState(EntryType.DIRECTORY, 0, 5, null)));
    }

    @Test
    void hostileStateFiles_areRejectedWithAMessageThatSaysWhatToDo() throws IOException {
        for (String bad : List.of("not json", "{\"format\":9,\"nodeSet\":\"" + ID + "\"}",
                "{\"format\":1,\"nodeSet\":\"ffffffffffffffff\",\"items\":[]}",
                "{\"format\":1,\"nodeSet\":\"" + ID + "\",\"items\":[{\"p\":\"../x\",\"t\":\"f\",\"s\":1,\"m\":1}]}",
                "{\"format\":1,\"nodeSet\":\"" + ID + "\",\"items\":[{\"p\":\"x\",\"t\":\"q\",\"s\":1,\"m\":1}]}",
                "{\"format\":1,\"nodeSet\":\"" + ID + "\",\"items\":[{\"p\":\"x\",\"t\":\"f\",\"s\":-1,\"m\":1}]}",
                "{\"format\":1,\"nodeSet\":\"" + ID + "\",\"items\":[{\"p\":\"x\",\"t\":\"f\",\"s\":1,\"m\":1,\"h\":\"zz\"}]}",
                "{\"format\":1,\"nodeSet\":\"" + ID + "\",\"items\":[{\"p\":\"x\",\"t\":\"f\",\"s\":1,\"m\":1},"
                        + "{\"p\":\"x\",\"t\":\"f\",\"s\":1,\"m\":1}]}",
                "", "[]", "{\"nodeSet\":\"" + ID + "\",\"items\":[]}",
                "{\"format\":1,\"nodeSet\":\"" + ID + "\",\"items\":{}}",
                "{\"format\":1,\"nodeSet\":\"" + ID + "\",\"items\":[1]}",
                "{\"format\":1,\"nodeSet\":\"" + ID + "\",\"items\":[{\"t\":\"f\",\"s\":1,\"m\":1}]}",
                "{\"format\":1,\"nodeSet\":\"" + ID + "\",\"items\":[{\"p\":\"x\",\"t\":\"f\",\"s\":\"big\",\"m\":1}]}",
                "{\"format\":1,\"nodeSet\":\"" + ID + "\",\"items\":[{\"p\":\"x\",\"t\":\"f\",\"s\":1,\"m\":1}",
                "{\"format\":1,\"nodeSet\":\"" + ID + "\",\"items\":[]} {\"format\":1}",
                "{\"format\":1,\"nodeSet\":\"" + ID + "\",\"items\":[{\"p\":\"\",\"t\":\"d\",\"s\":0,\"m\":1}]}")) {
            MemoryFileTree t = MemoryFileTree.of();
            corrupt(t, bad);
            assertThatThrownBy(() -> StateStore.load(t, ID)).as(bad).isInstanceOf(IOException.class)
                    .hasMessageContaining("delete it to start over");
        }
    }

    @Test
    void nodeSetId_isOrderIndependent_andDistinguishesSets() {
        assertThat(NodeSetId.of(List.of("/a", "/b"))).isEqualTo(NodeSetId.of(List.of("/b", "/a"))).hasSize(32);
        assertThat(NodeSetId.of(List.of("/a", "/b"))).isNotEqualTo(NodeSetId.of(List.of("/a", "/c")));
        assertThat(NodeSetId.of(List.of("/ab", "/c"))).isNotEqualTo(NodeSetId.of(List.of("/a", "/bc")));
    }

    @Test
    void engineArea_reservesItsFolderAndTemporaryNames() {
        assertThat(EngineArea.isReserved(RelPath.of(".ciphersync"))).isTrue();
        assertThat(EngineArea.isReserved(RelPath.of(".ciphersync/versions/a~1"))).isTrue();
        assertThat(EngineArea.isReserved(RelPath.of(".CipherSync/x"))).isTrue();
        assertThat(EngineArea.isReserved(RelPath.of("d/.ciphersync.tmp.0a1b"))).isTrue();
        assertThat(EngineArea.isReserved(RelPath.of("d/.ciphersync"))).isFalse();
        assertThat(EngineArea.isReserved(RelPath.of(".ciphersyncx"))).isFalse();
        assertThat(MemoryFileTree.of(file("a", "1")).describe()).isEqualTo("memory:memory");
    }
}
