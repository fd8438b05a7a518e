package org.ciphersync.relay.protocol.message;

/** Validation of the short human-readable texts carried in bodies (names, labels, reasons). */
final class Texts {

    private Texts() {
    }

    /**
     * @return {@code s} if it has at most {@code maxChars} code points and no control or format characters
     * @throws IllegalArgumentException naming the field otherwise
     */
    static String check(String field, String s, int maxChars) {
        if (s == null) {
            throw new IllegalArgumentException(field + " == null");
        }
        int count = s.codePointCount(0, s.length());
        if (count > maxChars) {
            throw new IllegalArgumentException(field + " has " + count + " characters, more than " + maxChars);
        }
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int t = Character.getType(cp);
            if (Character.isISOControl(cp) || t == Character.FORMAT || t == Character.SURROGATE || t == Character.UNASSIGNED
                    || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR) {
                throw new IllegalArgumentException(field + " contains the control or invisible character U+"
                        + String.format("%04X", cp) + " at index " + i);
            }
            i += Character.charCount(cp);
        }
        return s;
    }
}
