package org.ciphersync.vault.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class BlobNameTest {

    @Test
    void pack_fansOutByItsFirstTwoCharacters() {
        BlobName name = BlobName.of(BlobType.PACK, "abcdef01");
        assertThat(name.folder()).isEqualTo("data/ab");
        assertThat(name.path()).isEqualTo("data/ab/abcdef01");
    }

    @Test
    void otherTypes_liveDirectlyInTheirFolder() {
        assertThat(BlobName.of(BlobType.KEY, "Key_1.v2").path()).isEqualTo("keys/Key_1.v2");
        assertThat(BlobName.of(BlobType.CONFIG, "vault").path()).isEqualTo("config/vault");
    }

    @Test
    void names_withPathTricks_areRejectedNamingTheCulprit() {
        assertThatThrownBy(() -> BlobName.of(BlobType.KEY, "../etc")).hasMessageContaining("starts with '.'");
        assertThatThrownBy(() -> BlobName.of(BlobType.KEY, "a/b")).hasMessageContaining("'/' at index 1");
        assertThatThrownBy(() -> BlobName.of(BlobType.KEY, "a\\b")).hasMessageContaining("at index 1");
        assertThatThrownBy(() -> BlobName.of(BlobType.KEY, "-rf")).hasMessageContaining("starts with '-'");
        assertThatThrownBy(() -> BlobName.of(BlobType.KEY, "")).hasMessageContaining("empty");
        assertThatThrownBy(() -> BlobName.of(BlobType.KEY, "a\u0000b")).hasMessageContaining("U+0000 at index 1");
        assertThatThrownBy(() -> BlobName.of(BlobType.KEY, "x".repeat(161))).hasMessageContaining("161 characters");
    }

    @Test
    void packNames_mustBeLowercaseHexOfTwoOrMoreCharacters() {
        assertThatThrownBy(() -> BlobName.of(BlobType.PACK, "ABCD")).hasMessageContaining("lowercase hex");
        assertThatThrownBy(() -> BlobName.of(BlobType.PACK, "a")).hasMessageContaining("shorter than 2");
        assertThatThrownBy(() -> BlobName.of(BlobType.PACK, "abg0")).hasMessageContaining("'g' at index 2");
        assertThat(BlobName.isValid(BlobType.PACK, "00ff")).isTrue();
    }

    @Property(tries = 200)
    void validNames_areAcceptedAndKeptVerbatim(
            @ForAll @StringLength(min = 1, max = 160) @CharRange(from = 'a', to = 'z') @CharRange(from = '0', to = '9')
            @Chars({'.', '_', '-'}) String body) {
        String name = "x" + body.substring(0, body.length() - 1);
        assertThat(BlobName.isValid(BlobType.SNAPSHOT, name)).isTrue();
        assertThat(BlobName.of(BlobType.SNAPSHOT, name).name()).isEqualTo(name);
    }

    @Property(tries = 200)
    void anyString_isEitherValidOrRejectedWithIllegalArgument(@ForAll @StringLength(max = 200) String name) {
        boolean valid = BlobName.isValid(BlobType.INDEX, name);
        if (valid) {
            assertThat(BlobName.of(BlobType.INDEX, name).path()).isEqualTo("index/" + name);
            assertThat(name).doesNotContain("/", "\\", "..", "\0");
        } else {
            assertThatThrownBy(() -> BlobName.of(BlobType.INDEX, name)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
