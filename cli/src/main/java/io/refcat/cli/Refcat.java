package io.refcat.cli;

import io.refcat.store.RequestLog;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code refcat} command: wiring only; the work is done by the modules. */
// INHERIT: every subcommand answers --help/-h and --version/-V as the top command does.
@Command(name = "refcat", mixinStandardHelpOptions = true, version = "refcat 0.1.0", scope = CommandLine.ScopeType.INHERIT,
        description = "Virtual Zarr references and a catalogue for NetCDF, HDF5 and GRIB archives.")
public final class Refcat {
    /**
     * The subcommands, built on demand: picocli reads every option of every command it is given,
     * which cost a one-file {@code refcat index} a quarter of a second of class loading (serve's
     * options pull in the server, the catalogue and the federation).
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("index", IndexCommand.class);
        m.put("combine", CombineCommand.class);
        m.put("search", SearchCommand.class);
        m.put("serve", ServeCommand.class);
        m.put("peers", PeersCommand.class);
        m.put("remove", RemoveCommand.class);
        return m;
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // The request log is the server's one line per request; it is turned off by a flag, not a level.
        System.setProperty("org.slf4j.simpleLogger.log." + RequestLog.LOGGER, "info");
        // Logs go to stderr: stdout is the commands' output (--json lines). jhdf's jar carries a
        // simplelogger.properties that would send them to stdout.
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        // jhdf warns on every file that it is a "development version"; its errors still show.
        System.setProperty("org.slf4j.simpleLogger.log.io.jhdf", "error");
        System.exit(commandLine(args.length > 0 ? args[0] : "").execute(args));
    }

    /** The command with every subcommand. */
    public static CommandLine commandLine() {
        return commandLine("");
    }

    /** The command with only the subcommand named {@code first} where it names one, else all of them. */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new Refcat());
        SUBCOMMANDS.forEach((name, command) -> {
            if (!SUBCOMMANDS.containsKey(first) || name.equals(first)) {
                cl.addSubcommand(name, command);
            }
        });
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setExecutionStrategy(ConfigFile.strategy());
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("refcat: " + e.getMessage());
            return 1;
        });
        // A usage error is one line and a pointer to the help, not the whole usage text.
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println("refcat: " + e.getMessage());
            String name = failed.getCommandSpec().qualifiedName(" ");
            err.println("Try '" + name + " --help' for more information.");
            err.flush();
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl;
    }
}
