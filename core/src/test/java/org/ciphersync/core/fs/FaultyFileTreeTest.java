package org.ciphersync.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ciphersync.core.fs.MemoryFileTree.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import org.ciphersync.core.fs.FaultyFileTree.Fault;
import org.ciphersync.core.fs.FaultyFileTree.InjectedFault;
import org.ciphersync.core.fs.FaultyFileTree.Op;
import org.junit.jupiter.api.Test;

class FaultyFileTreeTest extends FileTreeContract {

    @Override
    protected FileTree newTree() {
        return new FaultyFileTree(MemoryFileTree.of());
    }

    @Test
    void fault_onMatchingPath_failsOnlyThatPath() throws IOException {
        FaultyFileTree t = new FaultyFileTree(MemoryFileTree.of(file("a", "1"), file("b", "2")));
        t.inject(Fault.on(Op.DELETE).matching(x -> x.name().equals("a")));
        assertThatThrownBy(() -> t.delete(p("a"))).isInstanceOf(InjectedFault.class).hasMessageContaining("a");
        t.delete(p("b"));
        assertThat(t.stat(p("a"))).isPresent();
        assertThat(t.injectedCount()).isEqualTo(1);
    }

    @Test
    void fault_onNthCall_passesEarlierCalls_andStopsAfterTimes() throws IOException {
        FaultyFileTree t = new FaultyFileTree(MemoryFileTree.of(file("a", "1")));
        t.inject(Fault.on(Op.FSYNC).onCall(2).once());
        t.fsync(p("a"));
        assertThatThrownBy(() -> t.fsync(p("a"))).isInstanceOf(InjectedFault.class);
        t.fsync(p("a"));
    }

    @Test
    void writeFault_afterBytes_cutsTheWriteShortThenFails() throws IOException {
        MemoryFileTree mem = MemoryFileTree.of();
        FaultyFileTree t = new FaultyFileTree(mem);
        t.inject(Fault.on(Op.WRITE).afterBytes(3));
        try (SeekableByteChannel ch = t.createNew(p("f"))) {
            ByteBuffer b = ByteBuffer.wrap("hello".getBytes());
            assertThat(ch.write(b)).isEqualTo(3);
            assertThatThrownBy(() -> ch.write(b)).isInstanceOf(InjectedFault.class);
        }
        assertThat(mem.readString("f")).isEqualTo("hel");
    }

    @Test
    void readFault_afterBytes_failsMidFile() throws IOException {
        FaultyFileTree t = new FaultyFileTree(MemoryFileTree.of(file("f", "hello")));
        t.inject(Fault.on(Op.READ).afterBytes(2));
        try (SeekableByteChannel ch = t.openRead(p("f"))) {
            ByteBuffer b = ByteBuffer.allocate(10);
            assertThat(ch.read(b)).isEqualTo(2);
            assertThatThrownBy(() -> ch.read(b)).isInstanceOf(InjectedFault.class);
        }
    }

    @Test
    void renameFault_matchesEitherSide() throws IOException {
        FaultyFileTree t = new FaultyFileTree(MemoryFileTree.of(file("a", "1")));
        t.inject(Fault.on(Op.RENAME).matching(x -> x.name().equals("target")));
        assertThatThrownBy(() -> t.rename(p("a"), p("target"))).isInstanceOf(InjectedFault.class);
        t.heal();
        t.rename(p("a"), p("target"));
        assertThat(t.stat(p("target"))).isPresent();
    }

    @Test
    void afterBytes_onOtherOperations_isRejected() {
        assertThatThrownBy(() -> Fault.on(Op.RENAME).afterBytes(1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RENAME");
    }
}
