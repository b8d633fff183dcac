package dev.osgimon.core.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.osgimon.api.admin.SourceRule;
import dev.osgimon.api.admin.SourceStatus.TagRule;

class SourceRulesTest {

    private static final Set<String> MEMORY_TAGS = Set.of("memory", "jvm");
    private static final Set<String> NET_TAGS = Set.of("net");
    private static final Set<String> HTTP_TAGS = Set.of("http");

    @Test
    void defaultIsEnabled() {
        assertThat(SourceRules.ALL_ENABLED.isEnabled("memory", MEMORY_TAGS)).isTrue();
    }

    @Test
    void allFirstThenTagsThenSourcesWhateverTheOrderInTheCommand() {
        // M memory:enable,*:disable,net:enable  ->  * applied first, so memory and net end enabled
        SourceRules r = SourceRules.ALL_ENABLED.with(List.of(SourceRule.source("memory", true), SourceRule.all(false),
                SourceRule.source("net", true)));
        assertThat(r.isEnabled("memory", MEMORY_TAGS)).isTrue();
        assertThat(r.isEnabled("net", NET_TAGS)).isTrue();
        assertThat(r.isEnabled("http", HTTP_TAGS)).isFalse();
        assertThat(r.defaultEnabled()).isFalse();
    }

    @Test
    void sourceRuleInTheSameCommandBeatsTagRule() {
        SourceRules r = SourceRules.ALL_ENABLED.with(List.of(SourceRule.source("memory", true), SourceRule.tag("jvm", false)));
        assertThat(r.isEnabled("memory", MEMORY_TAGS)).isTrue();
    }

    @Test
    void aLaterTagRuleBeatsAnEarlierSourceRule() {
        SourceRules r = SourceRules.ALL_ENABLED.with(List.of(SourceRule.source("memory", true)))
                .with(List.of(SourceRule.tag("jvm", false)));
        assertThat(r.isEnabled("memory", MEMORY_TAGS)).isFalse();
        r = r.with(List.of(SourceRule.source("memory", true)));
        assertThat(r.isEnabled("memory", MEMORY_TAGS)).isTrue();
    }

    @Test
    void starReplacesEveryEarlierRule() {
        SourceRules r = SourceRules.ALL_ENABLED.with(List.of(SourceRule.tag("http", false), SourceRule.source("net", false)))
                .with(List.of(SourceRule.all(true)));
        assertThat(r.rules()).isEmpty();
        assertThat(r.isEnabled("http", HTTP_TAGS)).isTrue();
        assertThat(r.isEnabled("net", NET_TAGS)).isTrue();
    }

    @Test
    void tagRulesApplyToSourcesThatComeLater() {
        SourceRules r = SourceRules.ALL_ENABLED.with(List.of(SourceRule.all(false), SourceRule.tag("http", true)));
        assertThat(r.isEnabled("http-admin", HTTP_TAGS)).isTrue();
        assertThat(r.isEnabled("other", Set.of("x"))).isFalse();
        assertThat(r.tagRules()).containsExactly(new TagRule("http", true));
    }

    @Test
    void repeatingARuleMovesItToTheEnd() {
        SourceRules r = SourceRules.ALL_ENABLED.with(List.of(SourceRule.tag("jvm", false)))
                .with(List.of(SourceRule.tag("memory", true)))
                .with(List.of(SourceRule.tag("jvm", false)));
        assertThat(r.tagRules()).containsExactly(new TagRule("memory", true), new TagRule("jvm", false));
        assertThat(r.isEnabled("memory", MEMORY_TAGS)).isFalse();
    }
}
