package io.refcat.cli;

import io.refcat.store.source.RemoteSources;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How remote archives are reached, shared by {@code index} and {@code serve}: per URL prefix
 * ({@code --remote}), or for every {@code s3://} URL ({@code --s3-*}). Credentials never appear
 * here: the SDK's default chain (environment, profile, instance role) supplies them.
 */
final class RemoteOptions {
    @Option(names = "--remote", paramLabel = "PREFIX,SETTINGS", description = "settings for sources under a URL prefix: "
            + "'s3://bucket/path/,endpoint=URL,region=NAME,anonymous,path-style' (an endpoint implies path-style); repeatable")
    List<String> remote;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3-compatible endpoint for every s3:// URL "
            + "(MinIO, Ceph, a cloud's own; path-style addressing)")
    String s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "NAME", description = "S3 region (default: AWS_REGION, else us-east-1)")
    String s3Region;

    @Option(names = "--s3-anonymous", description = "read public buckets without credentials")
    boolean s3Anonymous;

    RemoteSources sources(CommandLine cmd) {
        List<RemoteSources.Settings> settings = new ArrayList<>();
        try {
            if (s3Endpoint != null || s3Region != null || s3Anonymous) {
                StringBuilder spec = new StringBuilder("s3://");
                if (s3Endpoint != null) {
                    spec.append(",endpoint=").append(s3Endpoint);
                }
                if (s3Region != null) {
                    spec.append(",region=").append(s3Region);
                }
                if (s3Anonymous) {
                    spec.append(",anonymous");
                }
                settings.add(RemoteSources.Settings.parse(spec.toString()));
            }
            for (String spec : remote == null ? List.<String>of() : remote) {
                settings.add(RemoteSources.Settings.parse(spec));
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, "--remote: " + e.getMessage());
        }
        return new RemoteSources(settings);
    }
}
