package io.refcat.store.source;

import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/** A source that reads another one in its own way (read-ahead, a cache): all else is the other's. */
abstract class DelegatingSource implements ByteSource {
    final ByteSource source;

    DelegatingSource(ByteSource source) {
        this.source = source;
    }

    @Override
    public String url() {
        return source.url();
    }

    @Override
    public long size() throws IOException {
        return source.size();
    }

    @Override
    public Optional<String> version() throws IOException {
        return source.version();
    }

    @Override
    public Optional<Instant> lastModified() throws IOException {
        return source.lastModified();
    }

    @Override
    public long requests() {
        return source.requests();
    }

    @Override
    public long bytesFetched() {
        return source.bytesFetched();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
