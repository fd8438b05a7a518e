package org.ciphersync.vault.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class MultiStatusParserTest {

    private static List<MultiStatusParser.Entry> parse(String xml) throws IOException {
        List<MultiStatusParser.Entry> entries = new ArrayList<>();
        MultiStatusParser.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), entries::add);
        return entries;
    }

    @Test
    void apacheStyleResponse_yieldsFilesAndCollections() throws Exception {
        String xml = """
                <?xml version="1.0" encoding="utf-8"?>
                <D:multistatus xmlns:D="DAV:">
                <D:response xmlns:lp1="DAV:"><D:href>/dav/keys/</D:href>
                 <D:propstat><D:prop><lp1:resourcetype><D:collection/></lp1:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>
                 <D:propstat><D:prop><D:getcontentlength/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>
                </D:response>
                <D:response xmlns:lp1="DAV:"><D:href>http://host/dav/keys/k%2D1</D:href>
                 <D:propstat><D:prop><lp1:resourcetype/><lp1:getcontentlength>42</lp1:getcontentlength></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>
                </D:response>
                </D:multistatus>
                """;
        assertThat(parse(xml)).containsExactly(
                new MultiStatusParser.Entry("keys", true, -1),
                new MultiStatusParser.Entry("k-1", false, 42));
    }

    @Test
    void externalEntity_isRefused() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <D:multistatus xmlns:D="DAV:"><D:response><D:href>&x;</D:href></D:response></D:multistatus>
                """;
        assertThatThrownBy(() -> parse(xxe)).isInstanceOf(IOException.class).hasMessageContaining("invalid PROPFIND response");
    }

    @Test
    void negativeOrNonNumericLengths_areRefused() {
        assertThatThrownBy(() -> parse("<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/a</D:href>"
                + "<D:getcontentlength>-5</D:getcontentlength></D:response></D:multistatus>")).hasMessageContaining("negative");
        assertThatThrownBy(() -> parse("<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/a</D:href>"
                + "<D:getcontentlength>12x</D:getcontentlength></D:response></D:multistatus>")).hasMessageContaining("not a number");
    }

    @Test
    void hugeValues_areRefused() {
        String huge = "<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/" + "a".repeat(10_000)
                + "</D:href></D:response></D:multistatus>";
        assertThatThrownBy(() -> parse(huge)).hasMessageContaining("longer than 8192");
    }

    @Test
    void lastSegment_decodesAndIgnoresTrailingSlashes() {
        assertThat(MultiStatusParser.lastSegment("/a/b%20c/")).isEqualTo("b c");
        assertThat(MultiStatusParser.lastSegment("https://h/x/y")).isEqualTo("y");
        assertThat(MultiStatusParser.lastSegment("/a/%zz")).isEmpty();
    }
}
