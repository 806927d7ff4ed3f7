package io.isoline.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real {@code translate} command (or another offline command) in-process and captures what it prints. */
public final class TranslateRunner {

    public record Run(int exitCode, String stdout, String stderr) {
    }

    private TranslateRunner() {
    }

    public static Run run(String... args) {
        return run(new TranslateCommand(), args);
    }

    /** Runs another offline command (e.g. {@code new BootstrapCommand()}) the same way. */
    public static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(command);
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
