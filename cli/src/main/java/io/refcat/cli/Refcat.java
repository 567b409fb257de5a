package io.refcat.cli;

import io.refcat.store.RequestLog;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code refcat} command: wiring only; the work is done by the modules. */
// INHERIT: every subcommand answers --help/-h and --version/-V as the top command does.
@Command(name = "refcat", mixinStandardHelpOptions = true, version = "refcat 0.1.0", scope = CommandLine.ScopeType.INHERIT,
        description = "Virtual Zarr references and a catalogue for NetCDF, HDF5 and GRIB archives.",
        subcommands = {IndexCommand.class, CombineCommand.class, SearchCommand.class, ServeCommand.class, PeersCommand.class,
                RemoveCommand.class, CommandLine.HelpCommand.class})
public final class Refcat {

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
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Refcat());
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
