package org.ciphersync.core.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ciphersync.core.path.RelPath;

/**
 * Reads the rules file of {@code --rules FILE} (JSON). Unknown fields are errors (a typo must not
 * silently change what is synchronized); every error names the rule and field.
 *
 * <pre>{@code
 * {
 *   "format": 1,
 *   "rules": [
 *     { "name": "newer files from A win",
 *       "match": "all",
 *       "when": [ {"subject": "type",    "node": "A", "op": "is",     "value": "file"},
 *                 {"subject": "date",    "node": "A", "op": "newer",  "other": "*"} ],
 *       "then": [ {"action": "copy", "from": "A", "to": "*"} ] },
 *     { "name": "new files on B go to A",
 *       "match": "all",
 *       "when": [ {"subject": "presence", "node": "B", "op": "exists_on"},
 *                 {"subject": "presence", "node": "A", "op": "not_exists_on"} ],
 *       "then": [ {"action": "copy", "from": "B", "to": "A"} ] },
 *     { "name": "no logs", "match": "any",
 *       "when": [ {"subject": "name", "op": "matches", "value": "*.log"} ],
 *       "then": [ {"action": "do_nothing"} ] }
 *   ],
 *   "targeted": [ {"path": "docs/plan.odt", "action": "copy", "from": "B", "to": "A"} ]
 * }
 * }</pre>
 *
 * Subjects: content, date, size, presence, name, type. Operators: equals, differs, newer, older,
 * bigger, smaller, exists_on, not_exists_on, matches, is, is_not. Actions: copy, copy_content,
 * copy_dates, create_directory, delete, do_nothing. {@code "*"} is each node the rule does not name.
 */
public final class RulesFile {
    public static final int FORMAT = 1;
    /** Larger rules files are refused. */
    public static final long MAX_BYTES = 4 * 1024 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    record ConditionJson(String subject, String node, String op, String other, String value) {
    }

    record ActionJson(String action, String from, String to) {
    }

    record RuleJson(String name, String match, List<ConditionJson> when, List<ActionJson> then) {
    }

    record TargetedJson(String path, String action, String from, String to) {
    }

    record FileJson(@JsonProperty(required = true) int format, List<RuleJson> rules, List<TargetedJson> targeted) {
    }

    private RulesFile() {
    }

    public static RuleSet read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException("rules file " + file + " is larger than " + MAX_BYTES + " bytes");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in.readAllBytes(), file.toString());
        }
    }

    /** Parses and validates; {@link IllegalArgumentException} names the culprit. */
    public static RuleSet parse(byte[] json, String source) {
        FileJson f;
        try {
            f = JSON.readValue(json, FileJson.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not a valid rules file: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : ""), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        if (f == null || f.format() != FORMAT) {
            throw new IllegalArgumentException(source + ": unsupported format " + (f == null ? "null" : f.format())
                    + " (expected " + FORMAT + ")");
        }
        List<Rule> rules = new ArrayList<>();
        List<RuleJson> rj = f.rules() == null ? List.of() : f.rules();
        for (int i = 0; i < rj.size(); i++) {
            RuleJson r = rj.get(i);
            String name = r.name() == null ? "rule " + (i + 1) : r.name();
            try {
                List<Condition> when = new ArrayList<>();
                for (ConditionJson c : r.when() == null ? List.<ConditionJson>of() : r.when()) {
                    when.add(new Condition(enumOf(Condition.Subject.class, c.subject(), "subject"), c.node(),
                            enumOf(Condition.Operator.class, c.op(), "op"), c.other(), c.value()));
                }
                List<Action> then = new ArrayList<>();
                for (ActionJson a : r.then() == null ? List.<ActionJson>of() : r.then()) {
                    then.add(new Action(enumOf(ActionType.class, a.action(), "action"), a.from(), a.to()));
                }
                Rule.Match match = r.match() == null ? Rule.Match.ALL : enumOf(Rule.Match.class, r.match(), "match");
                rules.add(new Rule(name, match, when, then));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(source + ": rule '" + name + "': " + e.getMessage(), e);
            }
        }
        List<TargetedAction> targeted = new ArrayList<>();
        List<TargetedJson> tj = f.targeted() == null ? List.of() : f.targeted();
        for (int i = 0; i < tj.size(); i++) {
            TargetedJson t = tj.get(i);
            try {
                if (t.path() == null) {
                    throw new IllegalArgumentException("missing path");
                }
                targeted.add(new TargetedAction(RelPath.of(t.path()),
                        new Action(enumOf(ActionType.class, t.action(), "action"), t.from(), t.to())));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(source + ": targeted action " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new RuleSet(rules, targeted);
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        try {
            E e = Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
            if (e == ActionType.KEEP_AS_CONFLICT) {
                throw new IllegalArgumentException("'keep_as_conflict' is not an action a rule can state");
            }
            return e;
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                if (c != ActionType.KEEP_AS_CONFLICT) {
                    allowed.add(c.name().toLowerCase(Locale.ROOT));
                }
            }
            throw new IllegalArgumentException("'" + field + "' is '" + value + "', expected one of " + allowed, e);
        }
    }
}
