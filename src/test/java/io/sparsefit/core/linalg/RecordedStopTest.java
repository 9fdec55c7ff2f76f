package io.sparsefit.core.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecordedStopTest {

    @Test
    void aStopOnceSeenStaysSeenAndOneNeverSeenIsNot() {
        boolean[] now = {false};
        int[] looks = {0};
        RecordedStop stop = new RecordedStop(() -> {
            looks[0]++;
            return now[0];
        });
        assertThat(stop.seen()).isFalse();
        assertThat(stop.getAsBoolean()).isFalse();
        assertThat(stop.seen()).isFalse();
        now[0] = true;
        assertThat(stop.getAsBoolean()).isTrue();
        now[0] = false;   // the check no longer says stop (a flag lowered): what was seen stays seen
        assertThat(stop.getAsBoolean()).isTrue();
        assertThat(stop.seen()).isTrue();
        assertThat(looks[0]).as("every call looks").isEqualTo(3);

        RecordedStop unseen = new RecordedStop(() -> true);
        assertThat(unseen.seen()).as("a check never looked at was not seen").isFalse();
    }
}
