package org.ciphersync.vault.format;

/** What a blob in a pack holds. The codes are part of the index format. */
public enum BlobKind {
    CHUNK(1), TREE(2);

    private final int code;

    BlobKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static BlobKind ofCode(int c) {
        return switch (c) {
            case 1 -> CHUNK;
            case 2 -> TREE;
            default -> throw new IllegalArgumentException("unknown blob kind " + c);
        };
    }
}
