package io.fwatlas.cli;

import io.fwatlas.query.QueryException;
import io.fwatlas.scan.ScanException;
import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import picocli.CommandLine;

/**
 * How every command ends when it cannot do its work: one line on stderr, {@code fwatlas CMD:
 * problem}, and an exit code that means something: {@value #USAGE} for arguments, inputs or
 * settings the user must change, {@value #FAILURE} for a store, table or job that failed.
 * Exceptions and {@link Error}s alike: a stack trace is never the answer.
 */
final class Failures {
    static final int USAGE = 2;
    static final int FAILURE = 1;

    private Failures() {
    }

    /** Installs the handlers on {@code root} and gives every subcommand the version of {@code root}. */
    static CommandLine install(CommandLine root) {
        root.setParameterExceptionHandler(Failures::parameter);
        root.setExecutionExceptionHandler((e, cl, parsed) -> report(cl.getErr(), name(cl), e));
        root.setExecutionStrategy(parsed -> {
            try {
                return new CommandLine.RunLast().execute(parsed);
            } catch (CommandLine.ExecutionException | CommandLine.ParameterException e) {
                throw e;
            } catch (Error e) {
                CommandLine last = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
                return report(last.getErr(), name(last), e);
            }
        });
        String[] version = root.getCommandSpec().version();
        setVersion(root, version);
        return root;
    }

    private static void setVersion(CommandLine cl, String[] version) {
        cl.getCommandSpec().version(version);
        cl.getSubcommands().values().forEach(sub -> setVersion(sub, version));
    }

    /**
     * A command line picocli could not parse. An unknown option is named first even when a
     * required one is missing too, since the unknown one is usually the misspelt required one.
     */
    private static int parameter(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        List<String> unmatched = cl.getUnmatchedArguments();
        String positional = optionTakenAsPositional(cl);
        String message;
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            message = unknown(u.getUnmatched(), u.getSuggestions());
        } else if (!unmatched.isEmpty()) {
            message = unknown(unmatched, List.of());
        } else if (positional != null) {
            message = unknown(List.of(positional), List.of());
        } else {
            message = lowerFirst(e.getMessage());
        }
        err.println(name(cl) + ": " + message + "; see '" + name(cl) + " --help'");
        err.flush();
        return USAGE;
    }

    /** One word shaped like an option, no SQL: what a command that lets such words through (query sql) refuses. */
    static final java.util.regex.Pattern OPTION_WORD = java.util.regex.Pattern.compile("-[-\\w=.]*");

    /** A value of a command that takes unknown options as positional values, when it can only be an option. */
    private static String optionTakenAsPositional(CommandLine cl) {
        if (!cl.isUnmatchedOptionsArePositionalParams()) {
            return null;
        }
        for (CommandLine.Model.PositionalParamSpec p : cl.getCommandSpec().positionalParameters()) {
            if (p.getValue() instanceof String v && OPTION_WORD.matcher(v).matches()) {
                return v;
            }
        }
        return null;
    }

    private static String unknown(List<String> unmatched, List<String> suggestions) {
        String first = unmatched.isEmpty() ? "?" : unmatched.get(0);
        String what = first.startsWith("-") ? "unknown option '" : "unexpected argument '";
        return what + first + "'" + (unmatched.size() > 1 ? " (and " + (unmatched.size() - 1) + " more)" : "")
                + (suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)");
    }

    /** The one line for {@code e}, printed as {@code name: ...}; returns the exit code. */
    static int report(PrintWriter err, String name, Throwable e) {
        if (Interrupt.happened()) {
            return FAILURE; // the interrupt has said what happened; what failed after it is its echo
        }
        int code;
        String message;
        Throwable root = root(e);
        if (e instanceof ScanException s) {
            code = s.exitCode();
            message = s.getMessage();
        } else if (e instanceof QueryException q) {
            code = q.exitCode();
            message = q.getMessage();
        } else if (e instanceof AnalysisException a) {  // bad SQL, unknown column: the user's to fix
            code = USAGE;
            message = firstLine(a.getMessage());
        } else if (root instanceof OutOfMemoryError) {
            code = FAILURE;
            message = "out of memory (" + root.getMessage() + "): give the JVM more, e.g. FWATLAS_JAVA_OPTS=-Xmx8g, "
                    + "or Spark's executors more (spark.executor.memory)";
        } else if (root instanceof LinkageError) {
            code = FAILURE;
            message = "a class could not be loaded (" + oneLine(root) + "): the build is incomplete or mixed; "
                    + "rebuild with mvn -B package";
        } else {
            code = FAILURE;
            message = "failed: " + oneLine(e);
        }
        err.println(name + ": " + message);
        err.flush();
        return code;
    }

    /** The innermost cause's first line: Spark wraps task failures in long, multi-line messages. */
    static String oneLine(Throwable e) {
        Throwable root = root(e);
        return root.getClass().getSimpleName() + ": " + firstLine(root.getMessage());
    }

    static String firstLine(String m) {
        String s = String.valueOf(m).strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    static String name(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName();
    }

    private static String lowerFirst(String s) {
        return s == null || s.isEmpty() || s.length() > 1 && Character.isUpperCase(s.charAt(1)) ? String.valueOf(s)
                : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
