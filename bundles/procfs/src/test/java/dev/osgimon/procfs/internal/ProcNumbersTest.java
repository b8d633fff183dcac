package dev.osgimon.procfs.internal;

import static dev.osgimon.procfs.internal.ProcNumbers.NOT_A_NUMBER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProcNumbersTest {

    private static long decimal(String text) {
        byte[] b = ("x" + text + "y").getBytes(StandardCharsets.US_ASCII);
        return ProcNumbers.decimal(b, 1, b.length - 1);
    }

    @Test
    void decimalNumbersUpToEighteenDigitsAreRead() {
        assertThat(decimal("0")).isZero();
        assertThat(decimal("1234567")).isEqualTo(1_234_567L);
        assertThat(decimal("-1")).isEqualTo(-1L);
        assertThat(decimal("999999999999999999")).isEqualTo(999_999_999_999_999_999L);
        assertThat(decimal("-999999999999999999")).isEqualTo(-999_999_999_999_999_999L);
    }

    @Test
    void anythingElseIsNotANumber() {
        assertThat(decimal("")).isEqualTo(NOT_A_NUMBER);
        assertThat(decimal("-")).isEqualTo(NOT_A_NUMBER);
        assertThat(decimal("1000000000000000000")).as("19 digits").isEqualTo(NOT_A_NUMBER);
        assertThat(decimal("12a")).isEqualTo(NOT_A_NUMBER);
        assertThat(decimal("+1")).isEqualTo(NOT_A_NUMBER);
        assertThat(decimal("1 ")).isEqualTo(NOT_A_NUMBER);
        assertThat(decimal("1.5")).isEqualTo(NOT_A_NUMBER);
        assertThat(decimal("--1")).isEqualTo(NOT_A_NUMBER);
    }

    @Test
    void columnsAreSplitAtBlanks() {
        byte[] b = " \t12 \r345\tkB\n".getBytes(StandardCharsets.US_ASCII);
        int start = ProcNumbers.skipBlanks(b, 0, b.length);
        assertThat(start).isEqualTo(2);
        int end = ProcNumbers.columnEnd(b, start, b.length);
        assertThat(ProcNumbers.decimal(b, start, end)).isEqualTo(12);
        int next = ProcNumbers.skipBlanks(b, end, b.length);
        assertThat(ProcNumbers.decimal(b, next, ProcNumbers.digitsEnd(b, next, b.length))).isEqualTo(345);
        assertThat(ProcNumbers.digitsEnd(b, 0, b.length)).isZero();
        assertThat(ProcNumbers.skipBlanks(b, b.length - 1, b.length)).as("a newline is no blank")
                .isEqualTo(b.length - 1);
    }
}
