package org.latentlab.cli;

import picocli.CommandLine.Option;

/** The --json flag every command accepts. */
final class JsonOption {
    @Option(names = "--json", description = "print the result as one JSON object on the last line")
    boolean json;
}
