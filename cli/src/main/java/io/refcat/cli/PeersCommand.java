package io.refcat.cli;

import io.refcat.federation.Peer;
import io.refcat.federation.PeerUrls;
import io.refcat.federation.Peers;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "peers", description = "The sites this node federates with.",
        subcommands = {PeersCommand.Add.class, PeersCommand.List.class})
final class PeersCommand {

    @Command(name = "add", description = "Add a peer by its URL (a refcat node, or any STAC API as a read-only peer). "
            + "Works before 'serve'; a running node checks it and learns its peers at its next gossip round. "
            + "(A running node also takes POST /federation/peers with the admin token.)",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:added (or known)", "1:refused", "2:usage error"})
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "the node's data directory")
        Path data;

        @Parameters(arity = "1..*", paramLabel = "URL", description = "peer base URLs (http or https)")
        java.util.List<String> urls;

        @Option(names = "--subscribe", arity = "0..1", paramLabel = "PATTERN", fallbackValue = "*",
                description = "replicate the peers' catalogues (collections matching PATTERN, * and ? wildcards; "
                        + "default all), so this node answers for them while they are down")
        String subscribe;

        @Override
        public Integer call() throws Exception {
            Peers peers = Peers.open(data);
            int refused = 0;
            for (String url : urls) {
                try {
                    Peer p = peers.add(url);
                    if (subscribe != null) {
                        p = peers.subscribe(p.url(), subscribe);
                    }
                    spec.commandLine().getOut().println("peer " + p.url() + " (" + p.status() + ")");
                } catch (PeerUrls.RefusedUrl e) {
                    spec.commandLine().getErr().println("refcat: " + e.getMessage());
                    refused++;
                }
            }
            return refused == 0 ? 0 : 1;
        }
    }

    @Command(name = "list", description = "The peers this node knows, with their status.")
    static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "the node's data directory")
        Path data;

        @Override
        public Integer call() throws Exception {
            for (Peer p : Peers.open(data).list()) {
                spec.commandLine().getOut().println(p.url() + "\t" + p.status() + "\t" + (p.name() == null ? "" : p.name())
                        + "\t" + (p.lastSeen() == null ? "never seen" : "last seen " + p.lastSeen()));
            }
            return 0;
        }
    }

    private PeersCommand() {
    }
}
