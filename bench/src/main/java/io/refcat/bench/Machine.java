package io.refcat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A one-line description of the machine a benchmark ran on. */
final class Machine {
    private Machine() {
    }

    public static void main(String[] args) {
        System.out.println(describe());
    }

    static String describe() {
        String cpu = cpuModel().orElse(System.getProperty("os.arch"));
        long memGiB = memoryKiB().map(kb -> kb >> 20).orElse(-1L);
        return String.format("%s, %d cores, %d GiB RAM, %s %s, Java %s", cpu, Runtime.getRuntime().availableProcessors(),
                memGiB, System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"));
    }

    private static Optional<String> cpuModel() {
        return grep("/proc/cpuinfo", "model name").map(l -> l.substring(l.indexOf(':') + 1).trim());
    }

    private static Optional<Long> memoryKiB() {
        return grep("/proc/meminfo", "MemTotal").map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")));
    }

    private static Optional<String> grep(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
