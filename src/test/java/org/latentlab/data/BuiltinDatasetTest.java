package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class BuiltinDatasetTest {

    @Test
    void roomsMakeAsManyTrainingRoomsAsAskedAndKeepTheirTestRooms() {
        LoadOptions small = LoadOptions.defaults().withSize(16, 16);
        Dataset usual = BuiltinDataset.ROOMS.open(small);
        Dataset more = BuiltinDataset.ROOMS.open(small.withGeneratedTrain(2100));
        assertEquals(2000, usual.train().size());
        assertEquals(2100, more.train().size());
        // a model trained on more rooms is scored on the test rooms the app shows
        assertEquals(usual.test().size(), more.test().size());
        for (int i = 0; i < usual.test().size(); i++) {
            assertArrayEquals(usual.test().sample(i), more.test().sample(i), "test room " + i);
        }
        for (int i = 0; i < usual.train().size(); i += 97) {
            assertArrayEquals(usual.train().sample(i), more.train().sample(i), "training room " + i);
        }
        assertEquals(30, BuiltinDataset.ROOMS.open(small.withGeneratedTrain(2100).withLimit(30)).train().size());
        assertThrows(IllegalArgumentException.class, () -> small.withGeneratedTrain(-1));
    }
}
