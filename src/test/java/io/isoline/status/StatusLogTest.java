package io.isoline.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What standalone mode logs of a status must not let an object's owner forge log lines. */
class StatusLogTest {

    @Test
    void controlCharactersAreEscapedAndLengthIsBounded() {
        assertThat(StatusLog.escape("path \"/h\r\n12:00:00 INFO forged\"")).isEqualTo("path \"/h\\x0d\\x0a12:00:00 INFO forged\"")
                .doesNotContain("\n");
        assertThat(StatusLog.escape("x".repeat(10_000))).startsWith("x".repeat(500) + "...").endsWith("(9500 more characters)");
        assertThat(StatusLog.escape(null)).isEmpty();
    }
}
