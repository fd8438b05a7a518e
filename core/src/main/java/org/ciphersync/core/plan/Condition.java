package org.ciphersync.core.plan;

import java.time.Instant;
import java.util.Objects;

/**
 * One condition of a rule (S10). Comparisons between two nodes (content, date, size) hold only
 * when the item is present on both; presence is tested explicitly with {@link Operator#EXISTS_ON}
 * and {@link Operator#NOT_EXISTS_ON}.
 *
 * <table>
 * <caption>subjects and their operators</caption>
 * <tr><th>subject</th><th>operators</th><th>operands</th></tr>
 * <tr><td>CONTENT</td><td>EQUALS, DIFFERS</td><td>node, other (node)</td></tr>
 * <tr><td>DATE</td><td>EQUALS, DIFFERS, NEWER, OLDER</td><td>node, other (node) or value (ISO-8601 instant)</td></tr>
 * <tr><td>SIZE</td><td>EQUALS, DIFFERS, BIGGER, SMALLER</td><td>node, other (node) or value (bytes)</td></tr>
 * <tr><td>PRESENCE</td><td>EXISTS_ON, NOT_EXISTS_ON</td><td>node</td></tr>
 * <tr><td>NAME</td><td>EQUALS, DIFFERS, MATCHES</td><td>value (a name, or a glob for MATCHES)</td></tr>
 * <tr><td>TYPE</td><td>IS, IS_NOT</td><td>node, value (file, directory)</td></tr>
 * </table>
 *
 * @param subject what is tested
 * @param node    the node whose item is tested ({@value Rule#EACH_OTHER} allowed), or null for NAME
 * @param op      the operator
 * @param other   the node compared with, or null
 * @param value   a literal operand, or null
 */
public record Condition(Subject subject, String node, Operator op, String other, String value) {

    public enum Subject { CONTENT, DATE, SIZE, PRESENCE, NAME, TYPE }

    public enum Operator { EQUALS, DIFFERS, NEWER, OLDER, BIGGER, SMALLER, EXISTS_ON, NOT_EXISTS_ON, MATCHES, IS, IS_NOT }

    public Condition {
        Objects.requireNonNull(subject, "subject == null");
        Objects.requireNonNull(op, "op == null");
        String what = subject.name().toLowerCase(java.util.Locale.ROOT) + " " + op.name().toLowerCase(java.util.Locale.ROOT);
        boolean ok = switch (subject) {
            case CONTENT -> op == Operator.EQUALS || op == Operator.DIFFERS;
            case DATE -> op == Operator.EQUALS || op == Operator.DIFFERS || op == Operator.NEWER || op == Operator.OLDER;
            case SIZE -> op == Operator.EQUALS || op == Operator.DIFFERS || op == Operator.BIGGER || op == Operator.SMALLER;
            case PRESENCE -> op == Operator.EXISTS_ON || op == Operator.NOT_EXISTS_ON;
            case NAME -> op == Operator.EQUALS || op == Operator.DIFFERS || op == Operator.MATCHES;
            case TYPE -> op == Operator.IS || op == Operator.IS_NOT;
        };
        if (!ok) {
            throw new IllegalArgumentException("condition '" + what + "': operator not allowed for this subject");
        }
        if (subject != Subject.NAME && node == null) {
            throw new IllegalArgumentException("condition '" + what + "' needs a node");
        }
        switch (subject) {
            case CONTENT -> require(other != null && value == null, what, "needs 'other' (a node) and no value");
            case DATE -> {
                require((other == null) != (value == null), what, "needs either 'other' (a node) or a value");
                if (value != null) {
                    try {
                        Instant.parse(value);
                    } catch (java.time.format.DateTimeParseException e) {
                        throw new IllegalArgumentException("condition '" + what + "': value '" + value
                                + "' is not an ISO-8601 instant like 2024-01-31T12:00:00Z", e);
                    }
                }
            }
            case SIZE -> {
                require((other == null) != (value == null), what, "needs either 'other' (a node) or a value");
                if (value != null) {
                    try {
                        if (Long.parseLong(value) < 0) {
                            throw new NumberFormatException();
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("condition '" + what + "': value '" + value
                                + "' is not a byte count", e);
                    }
                }
            }
            case PRESENCE -> require(other == null && value == null, what, "takes only a node");
            case NAME -> require(value != null && node == null && other == null, what, "takes only a value");
            case TYPE -> require(value != null && other == null && (value.equals("file") || value.equals("directory")),
                    what, "needs value 'file' or 'directory'");
        }
    }

    private static void require(boolean ok, String what, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("condition '" + what + "' " + problem);
        }
    }

    public static Condition existsOn(String node) {
        return new Condition(Subject.PRESENCE, node, Operator.EXISTS_ON, null, null);
    }

    public static Condition notExistsOn(String node) {
        return new Condition(Subject.PRESENCE, node, Operator.NOT_EXISTS_ON, null, null);
    }

    public static Condition content(String node, Operator op, String other) {
        return new Condition(Subject.CONTENT, node, op, other, null);
    }

    public static Condition date(String node, Operator op, String other) {
        return new Condition(Subject.DATE, node, op, other, null);
    }

    public static Condition size(String node, Operator op, String other) {
        return new Condition(Subject.SIZE, node, op, other, null);
    }

    public static Condition type(String node, Operator op, String fileOrDirectory) {
        return new Condition(Subject.TYPE, node, op, null, fileOrDirectory);
    }

    public static Condition name(Operator op, String value) {
        return new Condition(Subject.NAME, null, op, null, value);
    }
}
