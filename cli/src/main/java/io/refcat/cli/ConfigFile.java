package io.refcat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command's options from a file ({@code --config FILE}): TOML ({@code .toml}), YAML
 * ({@code .yaml}, {@code .yml}) or Java properties (any other name). Keys are the long option
 * names without their dashes ({@code port = 8080}, {@code root = ["/archive"]},
 * {@code request-log = false}); every setting is also a flag, and a flag on the command line wins
 * over the file. An unknown key is an error naming it, so a typo cannot pass unnoticed.
 */
final class ConfigFile {
    static final String OPTION = "--config";

    private ConfigFile() {
    }

    /**
     * Parses again with the file's settings placed before the user's arguments, leaving out those
     * the user gave as flags.
     */
    static CommandLine.IExecutionStrategy strategy() {
        return parsed -> {
            CommandLine.ParseResult sub = parsed.subcommand();
            if (sub != null && sub.hasMatchedOption(OPTION)) {
                Path file = sub.matchedOptionValue(OPTION, (Path) null);
                List<String> args = new ArrayList<>(parsed.originalArgs());
                int at = args.indexOf(sub.commandSpec().name()) + 1;
                args.addAll(at, settings(sub.commandSpec(), file, parsed.originalArgs()));
                CommandLine root = parsed.commandSpec().commandLine();
                return new CommandLine.RunLast().execute(root.parseArgs(args.toArray(new String[0])));
            }
            return new CommandLine.RunLast().execute(parsed);
        };
    }

    /** The file's settings as arguments, except options the command line already has. */
    static List<String> settings(CommandSpec spec, Path file, List<String> given) {
        Map<String, JsonNode> values = read(spec, file);
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : values.entrySet()) {
            String name = "--" + e.getKey();
            OptionSpec option = spec.findOption(name);
            if (option == null || name.equals(OPTION) || option.usageHelp() || option.versionHelp()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "config file " + file + ": unknown setting '"
                        + e.getKey() + "'");
            }
            if (givenOnCommandLine(option, given)) {
                continue;
            }
            JsonNode v = e.getValue();
            if (option.typeInfo().getType() == boolean.class || option.typeInfo().getType() == Boolean.class) {
                boolean on = v.isBoolean() ? v.booleanValue() : Boolean.parseBoolean(v.asText());
                if (on || option.negatable()) {
                    args.add(on ? name : "--no-" + e.getKey());
                }
            } else if (v.isArray()) {
                for (JsonNode item : v) {
                    args.add(name);
                    args.add(item.asText());
                }
            } else {
                args.add(name);
                args.add(v.asText());
            }
        }
        return args;
    }

    private static boolean givenOnCommandLine(OptionSpec option, List<String> given) {
        for (String arg : given) {
            for (String n : option.names()) {
                String negated = n.startsWith("--") ? "--no-" + n.substring(2) : null;
                if (arg.equals(n) || arg.startsWith(n + "=") || arg.equals(negated)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<String, JsonNode> read(CommandSpec spec, Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        Map<String, JsonNode> values = new java.util.LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            if (name.endsWith(".toml") || name.endsWith(".yaml") || name.endsWith(".yml")) {
                ObjectMapper mapper = name.endsWith(".toml") ? new TomlMapper() : new YAMLMapper();
                JsonNode root = mapper.readTree(in);
                if (root != null && !root.isObject()) {
                    throw new IOException("expected settings (key = value), found " + root.getNodeType());
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = root == null ? java.util.Collections.emptyIterator()
                        : root.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    values.put(e.getKey(), e.getValue());
                }
            } else {
                Properties p = new Properties();
                p.load(in);
                for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
                    String text = p.getProperty(key);
                    OptionSpec option = spec.findOption("--" + key);
                    boolean many = option != null && option.isMultiValue();
                    values.put(key, many ? list(text) : new ObjectMapper().getNodeFactory().textNode(text));
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "config file " + file + " does not exist");
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "config file " + file + ": " + e.getMessage());
        }
        return values;
    }

    /** A comma-separated properties value as a list. */
    private static JsonNode list(String text) {
        var array = new ObjectMapper().getNodeFactory().arrayNode();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                array.add(part.trim());
            }
        }
        return array;
    }
}
