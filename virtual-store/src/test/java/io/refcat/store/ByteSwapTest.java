package io.refcat.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSwapTest {
    @Test
    void everyItemIsReversedInsideTheRangeAndNothingOutside() {
        Random r = new Random(3);
        for (int item : new int[] {1, 2, 3, 4, 8, 12, 16}) {
            byte[] data = new byte[item * 37 + 11];
            r.nextBytes(data);
            byte[] expected = data.clone();
            int offset = 5;
            int length = item * 37;
            for (int e = offset; e < offset + length; e += item) {
                for (int i = 0; i < item; i++) {
                    expected[e + i] = data[e + item - 1 - i];
                }
            }
            ByteSwap.inPlace(data, offset, length, item);
            assertArrayEquals(expected, data, "item " + item);
        }
    }
}
