package org.ciphersync.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RulesFileTest {

    static RuleSet parse(String json) {
        return RulesFile.parse(json.getBytes(StandardCharsets.UTF_8), "rules.json");
    }

    static final String EXAMPLE = """
            {
              "format": 1,
              "rules": [
                { "name": "newer files from A win", "match": "all",
                  "when": [ {"subject": "type", "node": "A", "op": "is", "value": "file"},
                            {"subject": "date", "node": "A", "op": "newer", "other": "*"} ],
                  "then": [ {"action": "copy", "from": "A", "to": "*"} ] },
                { "name": "new files on B go to A", "match": "all",
                  "when": [ {"subject": "presence", "node": "B", "op": "exists_on"},
                            {"subject": "presence", "node": "A", "op": "not_exists_on"} ],
                  "then": [ {"action": "copy", "from": "B", "to": "A"} ] },
                { "name": "no logs", "match": "any",
                  "when": [ {"subject": "name", "op": "matches", "value": "*.log"} ],
                  "then": [ {"action": "do_nothing"} ] }
              ],
              "targeted": [ {"path": "docs/plan.odt", "action": "copy", "from": "B", "to": "A"} ]
            }
            """;

    @Test
    void documentedExample_parses() {
        RuleSet r = parse(EXAMPLE);
        assertThat(r.rules()).extracting(Rule::name)
                .containsExactly("newer files from A win", "new files on B go to A", "no logs");
        assertThat(r.rules().getFirst().when().get(1).op()).isEqualTo(Condition.Operator.NEWER);
        assertThat(r.rules().get(2).match()).isEqualTo(Rule.Match.ANY);
        assertThat(r.targeted()).singleElement().satisfies(t -> {
            assertThat(t.path().value()).isEqualTo("docs/plan.odt");
            assertThat(t.action()).isEqualTo(Action.copy("B", "A"));
        });
    }

    @Test
    void unknownField_isAnError_soTyposNeverChangeWhatIsSynchronized() {
        assertThatThrownBy(() -> parse("{\"format\":1,\"rulez\":[]}")).hasMessageContaining("rules.json")
                .hasMessageContaining("rulez");
    }

    @Test
    void wrongFormat_isRejected() {
        assertThatThrownBy(() -> parse("{\"format\":2}")).hasMessageContaining("unsupported format 2");
        assertThatThrownBy(() -> parse("{}")).hasMessageContaining("format");
        assertThatThrownBy(() -> parse("[]")).hasMessageContaining("not a valid rules file");
        assertThatThrownBy(() -> parse("{\"format\":1")).hasMessageContaining("not a valid rules file");
    }

    @Test
    void badOperatorForSubject_namesRuleAndCondition() {
        assertThatThrownBy(() -> parse("""
                {"format":1,"rules":[{"name":"r1","when":[{"subject":"content","node":"A","op":"newer","other":"B"}],
                 "then":[{"action":"copy","from":"A","to":"B"}]}]}"""))
                .hasMessageContaining("rule 'r1'").hasMessageContaining("content newer");
    }

    @Test
    void unknownAction_listsTheAllowedOnes() {
        assertThatThrownBy(() -> parse("""
                {"format":1,"rules":[{"name":"r","then":[{"action":"explode","to":"B"}]}]}"""))
                .hasMessageContaining("'action' is 'explode'").hasMessageContaining("copy_dates");
    }

    @Test
    void conflictRenames_cannotBeStatedByRules() {
        assertThatThrownBy(() -> parse("""
                {"format":1,"rules":[{"name":"r","then":[{"action":"keep_as_conflict","from":"A","to":"B"}]}]}"""))
                .hasMessageContaining("rule 'r'");
    }

    @Test
    void hostileTargetedPath_isRejected() {
        assertThatThrownBy(() -> parse("""
                {"format":1,"targeted":[{"path":"../etc/passwd","action":"delete","to":"B"}]}"""))
                .hasMessageContaining("targeted action 1").hasMessageContaining("'..' segment");
        assertThatThrownBy(() -> parse("""
                {"format":1,"targeted":[{"path":"/abs","action":"delete","to":"B"}]}"""))
                .hasMessageContaining("absolute path");
    }

    @Test
    void actionWithoutTarget_isRejected() {
        assertThatThrownBy(() -> parse("""
                {"format":1,"rules":[{"name":"r","then":[{"action":"delete"}]}]}"""))
                .hasMessageContaining("DELETE needs a target node");
    }
}
