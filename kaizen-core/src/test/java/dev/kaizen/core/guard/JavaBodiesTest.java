package dev.kaizen.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class JavaBodiesTest {

    private static Optional<String> problem(String text) {
        return JavaBodies.check(text).map(JavaBodies.Problem::detail);
    }

    @Test
    void a_balanced_body_passes() {
        assertThat(JavaBodies.check("""
                int s = 0;
                for (int i = 0; i < a.length; i++) { s += a[i]; }
                return s;
                """)).isEmpty();
    }

    @Test
    void a_body_that_closes_its_method_is_caught_with_its_line() {
        Optional<JavaBodies.Problem> p = JavaBodies.check("return 1;\n}\npublic static void evil() {\n Runtime.getRuntime();\n");
        assertThat(p).isPresent();
        assertThat(p.get().closesBody()).isTrue();
        assertThat(p.get().detail()).isEqualTo("unbalanced '}' at line 2");
    }

    @Test
    void brackets_inside_literals_and_comments_do_not_count() {
        assertThat(JavaBodies.check("String s = \"}}\\\"}\"; char c = '}'; char q = '\\''; // }\n/* } \n } */ return s;\n")).isEmpty();
        assertThat(JavaBodies.check("String t = \"\"\"\n    }\n    \\\"\"\"}\n    \"\"\";\nreturn t;\n")).isEmpty();
    }

    @Test
    void an_escape_outside_literals_counts_as_the_character_it_stands_for() {
        Optional<JavaBodies.Problem> p = JavaBodies.check("return 1; \\u007d void evil() {");
        assertThat(p).isPresent();
        assertThat(p.get().closesBody()).isTrue();
        // an escaped backslash before u is not a unicode escape
        assertThat(JavaBodies.check("String s = \"\\\\u007d\"; return s;")).isEmpty();
    }

    @Test
    void unterminated_literals_and_comments_are_refused() {
        assertThat(problem("return 1; /* swallow the closing brace")).contains("unterminated comment opened at line 1");
        assertThat(problem("String s = \"abc;\nreturn s;")).contains("unterminated string literal at line 1");
        assertThat(problem("char c = 'x;\n")).contains("unterminated character literal at line 1");
        assertThat(problem("String t = \"\"\"\n  abc\n")).contains("unterminated text block opened at line 1");
    }

    @Test
    void unclosed_and_mismatched_brackets_are_refused() {
        assertThat(problem("if (x) {\n  return 1;\n")).contains("'{' opened at line 1 is never closed");
        assertThat(problem("foo(1];")).contains("']' at line 1 closes the '(' opened at line 1");
        assertThat(JavaBodies.check("foo(1];").orElseThrow().closesBody()).isFalse();
        assertThat(problem("x = a[0]));")).contains("unbalanced ')' at line 1");
    }
}
