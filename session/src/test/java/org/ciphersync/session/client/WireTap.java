package org.ciphersync.session.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Every byte that crossed the relay, in both directions, as encoded frames. */
final class WireTap {
    private final List<byte[]> frames = new ArrayList<>();
    private final List<String> uploads = new ArrayList<>();

    synchronized void upload(String partId, byte[] data, java.util.Collection<Integer> recipients) {
        frames.add(data.clone());
        uploads.add(partId + " " + data.length + " " + recipients);
    }

    /** Every part upload: "id bytes [recipients]". */
    synchronized List<String> uploads() {
        return List.copyOf(uploads);
    }

    synchronized void record(byte[] frame) {
        frames.add(frame.clone());
    }

    synchronized int frameCount() {
        return frames.size();
    }

    /** Whether {@code needle} occurs in any recorded frame. */
    synchronized boolean contains(byte[] needle) {
        for (byte[] f : frames) {
            if (indexOf(f, needle) >= 0) {
                return true;
            }
        }
        return false;
    }

    boolean contains(String needle) {
        return contains(needle.getBytes(StandardCharsets.UTF_8)) || contains(needle.getBytes(StandardCharsets.UTF_16BE));
    }

    synchronized byte[] all() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
