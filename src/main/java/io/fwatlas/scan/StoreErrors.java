package io.fwatlas.scan;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * One line for a file system that cannot be used: an unknown URI scheme, a scheme whose
 * implementation is not on the class path, missing or refused credentials, an unreachable
 * service. Each names the input or output and says what to do.
 */
public final class StoreErrors {
    /** The jar that brings each object store's Hadoop file system. */
    private static final Map<String, String> CONNECTORS = Map.of(
            "s3a", "hadoop-aws (spark-submit --packages org.apache.hadoop:hadoop-aws:" + hadoopVersion()
                    + ", or build with mvn -Ps3)",
            "gs", "a Google Cloud Storage connector jar (and spark.hadoop.fs.gs.impl naming its class)",
            "abfs", "hadoop-azure", "abfss", "hadoop-azure", "wasb", "hadoop-azure", "wasbs", "hadoop-azure",
            "oss", "hadoop-aliyun");
    /** Exceptions, by simple name, that mean "who you are was not accepted"; some live in jars we lack. */
    private static final Set<String> AUTH_CLASSES = Set.of("AccessDeniedException", "AccessControlException",
            "NoAuthWithAWSException", "CredentialInitializationException", "AuthenticationException",
            "KerberosAuthException", "SaslException", "AWSCredentialProviderException");
    private static final Pattern AUTH_TEXT = Pattern.compile("(?i)no aws credentials|unable to load (aws )?credentials"
            + "|access denied|forbidden|unauthori[sz]ed|permission denied|invalid.*(access key|credentials)"
            + "|GSS initiate failed|cannot authenticate");

    enum Kind { UNKNOWN_SCHEME, NO_IMPLEMENTATION, CREDENTIALS, UNREACHABLE, OTHER }

    private StoreErrors() {
    }

    /** A bad input: always a usage error (exit 2). */
    public static ScanException input(String input, Throwable e) {
        return ScanException.usage(message("input", input, e));
    }

    /**
     * A bad output: a scheme fwatlas cannot use is a usage error (exit 2); an output it may not
     * or cannot reach is one that cannot be written (exit 1).
     */
    public static ScanException output(String output, Throwable e) {
        Kind k = kind(e);
        int code = k == Kind.UNKNOWN_SCHEME || k == Kind.NO_IMPLEMENTATION ? ScanException.USAGE : ScanException.FAILURE;
        return new ScanException(code, message("output", output, e), e);
    }

    /**
     * Opens the output's file system and looks at the output once, so that a scheme without a
     * file system, missing credentials or an unreachable store is one clear line before anything
     * starts. A missing output is fine: it is created later.
     */
    public static void checkOutput(String output, Path location, Configuration conf) {
        if (Discovery.isLocal(output)) {
            return;
        }
        try {
            FileSystem fs = location.getFileSystem(conf);
            fs.getFileStatus(location);
        } catch (FileNotFoundException e) {
            // created by the scan
        } catch (IOException | RuntimeException | LinkageError e) {
            throw output(output, e);
        }
    }

    /** One line: {@code ROLE LOCATION: what is wrong; what to do}. */
    public static String message(String role, String location, Throwable e) {
        String scheme = scheme(location);
        String what = role + " " + location;
        switch (kind(e)) {
            case UNKNOWN_SCHEME:
                if (CONNECTORS.containsKey(scheme)) {
                    return what + ": no file system for " + scheme + ":// on the class path; add "
                            + CONNECTORS.get(scheme);
                }
                return what + ": unknown URI scheme '" + scheme + "'; use a local path, file://, hdfs:// or s3a:// "
                        + "(with hadoop-aws), or name its Hadoop file system with spark.hadoop.fs." + scheme + ".impl";
            case NO_IMPLEMENTATION:
                if (CONNECTORS.containsKey(scheme)) {
                    return what + ": the " + scheme + ":// file system is not on the class path (" + cause(e)
                            + "); add " + CONNECTORS.get(scheme);
                }
                return what + ": the " + scheme + ":// file system is not on the class path (" + cause(e)
                        + "); add its jar (spark-submit --jars or --packages)";
            case CREDENTIALS:
                return what + ": access denied or no credentials (" + cause(e) + "); " + credentialsHint(scheme);
            case UNREACHABLE:
                return what + ": cannot reach its file system (" + cause(e) + "); check the host and port in the URI"
                        + " and that the service is up";
            default:
                return what + ": cannot use its file system (" + cause(e) + ")";
        }
    }

    static Kind kind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getSimpleName();
            String text = String.valueOf(t.getMessage());
            if (t instanceof UnsupportedFileSystemException || text.startsWith("No FileSystem for scheme")) {
                return Kind.UNKNOWN_SCHEME;
            }
            if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError
                    || (text.startsWith("java.lang.ClassNotFoundException") && text.contains("not found"))) {
                return Kind.NO_IMPLEMENTATION;
            }
            if (AUTH_CLASSES.contains(name) || t instanceof SecurityException || AUTH_TEXT.matcher(text).find()) {
                return Kind.CREDENTIALS;
            }
            if (t instanceof UnknownHostException || t instanceof ConnectException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException) {
                return Kind.UNREACHABLE;
            }
        }
        return Kind.OTHER;
    }

    private static String credentialsHint(String scheme) {
        switch (scheme) {
            case "s3a":
                return "give the job S3 credentials (spark.hadoop.fs.s3a.access.key and .secret.key, "
                        + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance or pod role; see conf/cluster/s3a.conf)"
                        + " and check that they may read and list the bucket";
            case "hdfs":
            case "webhdfs":
                return "check the path's permissions for this user (hdfs dfs -ls) and, on a Kerberos cluster, "
                        + "the login (kinit, or spark-submit --principal/--keytab)";
            default:
                return "check the credentials in the spark.hadoop.fs." + scheme + ".* settings and the path's "
                        + "permissions";
        }
    }

    /** The innermost cause, on one line. */
    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage()).strip();
        int nl = m.indexOf('\n');
        return root.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }

    static String scheme(String location) {
        try {
            String s = URI.create(location).getScheme();
            return s == null ? "file" : s.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            int i = location.indexOf("://");
            return i > 0 ? location.substring(0, i).toLowerCase(Locale.ROOT) : "file";
        }
    }

    private static String hadoopVersion() {
        try {
            return org.apache.hadoop.util.VersionInfo.getVersion();
        } catch (RuntimeException | LinkageError e) {
            return "3.5.0";
        }
    }
}
