package dev.osgimon.httpaccess.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.osgimon.httpaccess.internal.RequiredAuthorization.Verdict;

class RequiredAuthorizationTest {

    @Test
    void emptyRequiresNothing() {
        for (String none : new String[] {null, "", "  "}) {
            RequiredAuthorization a = RequiredAuthorization.parse(none);
            assertThat(a.required()).isFalse();
            assertThat(a.check(null)).isEqualTo(Verdict.PASS);
            assertThat(a.check("Bearer anything")).isEqualTo(Verdict.PASS);
            assertThat(a).hasToString("none");
        }
    }

    @Test
    void bearerMustMatchExactly() {
        RequiredAuthorization a = RequiredAuthorization.parse(" Bearer s3cr3t ");
        assertThat(a.required()).isTrue();
        assertThat(a.check("Bearer s3cr3t")).isEqualTo(Verdict.PASS);
        assertThat(a.check(null)).isEqualTo(Verdict.MISSING);
        assertThat(a.check("")).isEqualTo(Verdict.MISSING);
        assertThat(a.check("Bearer s3cr3")).isEqualTo(Verdict.WRONG);
        assertThat(a.check("Bearer s3cr3tt")).isEqualTo(Verdict.WRONG);
        assertThat(a.check("Basic s3cr3t")).isEqualTo(Verdict.WRONG);
        assertThat(a.challenge()).isEqualTo("Bearer realm=\"osgimon\"");
        assertThat(a.toString()).isEqualTo("Bearer ********").doesNotContain("s3cr3t");
    }

    @Test
    void basicChallengesWithBasic() {
        RequiredAuthorization a = RequiredAuthorization.parse("Basic dXNlcjpwYXNz");
        assertThat(a.check("Basic dXNlcjpwYXNz")).isEqualTo(Verdict.PASS);
        assertThat(a.check("Basic dXNlcjpwYXNa")).isEqualTo(Verdict.WRONG);
        assertThat(a.challenge()).startsWith("Basic realm=\"osgimon\"");
        assertThat(a.toString()).doesNotContain("dXNlcjpwYXNz");
    }

    @Test
    void anotherSchemeIsAnErrorThatDoesNotShowTheValue() {
        assertThatThrownBy(() -> RequiredAuthorization.parse("Token abc123")).hasMessageContaining("Bearer")
                .hasMessageNotContaining("abc123");
        assertThatThrownBy(() -> RequiredAuthorization.parse("Bearer")).hasMessageContaining("credentials");
        assertThatThrownBy(() -> RequiredAuthorization.parse("Bearer a b")).hasMessageNotContaining("a b");
    }
}
