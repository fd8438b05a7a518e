package org.ciphersync.vault.backend.webdav;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;

import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Streams the {@code <D:response>} entries of a PROPFIND {@code 207 Multi-Status} body.
 *
 * <p>The body comes from the server and is hostile: DTDs and external entities are refused (no
 * XXE, no entity expansion bombs), text values are capped, and the parser never builds a DOM,
 * so a listing of a huge folder costs constant memory.
 */
final class MultiStatusParser {

    /** One resource of the listing. */
    record Entry(String lastSegment, boolean collection, long length) {
    }

    private static final String DAV = "DAV:";
    private static final int MAX_TEXT = 8192;

    private MultiStatusParser() {
    }

    static void parse(InputStream body, Consumer<Entry> consumer) throws IOException {
        SAXParser parser;
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setXIncludeAware(false);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            parser = factory.newSAXParser();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a required security feature", e);
        }
        try {
            parser.parse(body, new Handler(consumer));
        } catch (SAXException e) {
            throw new IOException("the WebDAV server sent an invalid PROPFIND response: " + e.getMessage(), e);
        }
    }

    private static final class Handler extends DefaultHandler {
        private final Consumer<Entry> consumer;
        private final StringBuilder text = new StringBuilder();
        private boolean inResponse;
        private boolean inResourceType;
        private String href;
        private boolean collection;
        private long length = -1;

        Handler(Consumer<Entry> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            text.setLength(0);
            if (!DAV.equals(uri)) {
                return;
            }
            switch (localName) {
                case "response" -> {
                    inResponse = true;
                    href = null;
                    collection = false;
                    length = -1;
                }
                case "resourcetype" -> inResourceType = true;
                case "collection" -> collection |= inResourceType;
                default -> {
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (text.length() + length > MAX_TEXT) {
                throw new SAXException("a PROPFIND value is longer than " + MAX_TEXT + " characters");
            }
            text.append(ch, start, length);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            if (!DAV.equals(uri)) {
                return;
            }
            switch (localName) {
                case "href" -> href = text.toString().trim();
                case "resourcetype" -> inResourceType = false;
                case "getcontentlength" -> {
                    String value = text.toString().trim();
                    if (value.isEmpty()) {
                        return; // listed in a 404 propstat: a collection has no length
                    }
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new SAXException("getcontentlength '" + text.toString().trim() + "' is not a number");
                    }
                    if (length < 0) {
                        throw new SAXException("getcontentlength " + length + " is negative");
                    }
                }
                case "response" -> {
                    if (inResponse && href != null) {
                        consumer.accept(new Entry(lastSegment(href), collection, length));
                    }
                    inResponse = false;
                }
                default -> {
                }
            }
        }
    }

    /** The decoded last path segment of an href (absolute URI or absolute path), without a trailing slash. */
    static String lastSegment(String href) {
        String path = href;
        if (href.startsWith("http://") || href.startsWith("https://")) {
            try {
                path = URI.create(href).getRawPath();
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        if (path == null) {
            return "";
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String raw = path.substring(path.lastIndexOf('/') + 1);
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
