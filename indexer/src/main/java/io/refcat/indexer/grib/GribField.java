package io.refcat.indexer.grib;

import java.util.Map;

/**
 * One field of a GRIB file: where its message is, and the keys cfgrib builds its hypercubes from.
 *
 * @param offset     the message's first byte ("GRIB") in the file
 * @param length     the message's length, "7777" included
 * @param field      the field's index within its message (GRIB2 messages may repeat sections)
 * @param keys       ecCodes key values the concepts are evaluated on (Long or String)
 * @param refTime    reference time, seconds since 1970-01-01T00:00:00Z (cfgrib's {@code time})
 * @param step       end of the forecast step in hours (cfgrib's {@code step})
 * @param number     ensemble member, or null where the message has none
 * @param level      the level value in the unit of its type of level
 * @param undecodable why the served views cannot decode the field (its packing), or null
 */
record GribField(long offset, long length, int field, int edition, int centre, Map<String, Object> keys,
                        long refTime, double step, Integer number, double level, GribGrid grid, String undecodable) {

    String concept(String concept) {
        return GribConcepts.get().evaluate(edition, concept, centre, keys);
    }
}
