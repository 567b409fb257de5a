package io.refcat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code refcat} command: wiring only; the work is done by the modules. */
@Command(name = "refcat", mixinStandardHelpOptions = true, version = "refcat 0.1.0",
        description = "Virtual Zarr references and a catalogue for NetCDF, HDF5 and GRIB archives.",
        subcommands = {IndexCommand.class, CombineCommand.class, SearchCommand.class, ServeCommand.class})
public final class Refcat {

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // jhdf warns on every file that it is a "development version"; its errors still show.
        System.setProperty("org.slf4j.simpleLogger.log.io.jhdf", "error");
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Refcat());
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("refcat: " + e.getMessage());
            return 1;
        });
        return cl;
    }
}
