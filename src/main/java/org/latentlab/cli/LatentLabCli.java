package org.latentlab.cli;

import org.latentlab.data.DataException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code java -jar latent-lab.jar COMMAND [options]}. */
@Command(name = "latent-lab", mixinStandardHelpOptions = true, version = "Latent Lab 0.1",
        description = "Train variational autoencoders and explore their latent spaces. "
                + "Without a command the GUI starts.",
        subcommands = {InspectCommand.class, TrainCommand.class, EvalCommand.class, EncodeCommand.class,
                SampleCommand.class, ReconstructCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class LatentLabCli {
    /** Exit code for bad input (a file that cannot be read, a wrong option value). */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for anything else that went wrong. */
    public static final int EXIT_FAILURE = 1;

    private LatentLabCli() {}

    /** Runs the command line and returns the exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured picocli command line (tests use it to capture output). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new LatentLabCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // one line naming the file and the fault, never a stack trace
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + oneLine(ex));
            commandLine.getErr().flush();
            return ex instanceof DataException || ex instanceof IllegalArgumentException ? EXIT_BAD_INPUT : EXIT_FAILURE;
        });
        return cl;
    }

    static String oneLine(Throwable ex) {
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) msg = ex.getClass().getSimpleName();
        return msg.replace('\n', ' ');
    }
}
