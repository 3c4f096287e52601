package io.fwatlas.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.security.AccessControlException;

/**
 * A Hadoop file system for the test scheme {@value #SCHEME} that refuses every look-up the way
 * real stores do, chosen by the URI's host: {@code denied} (S3A's 403, a
 * java.nio AccessDeniedException), {@code nocreds} (S3A's NoAuthWithAWSException),
 * {@code hdfsperm} (HDFS's AccessControlException), {@code missing} (not found); {@code oom} and
 * {@code noclass} throw the {@link Error}s a real run can meet (out of memory, a missing class).
 */
public class RefusingFileSystem extends RawLocalFileSystem {
    static final String SCHEME = "fwdeny";
    private URI uri;

    /** S3A's exception when no credential provider gives credentials (the class lives in hadoop-aws). */
    static final class NoAuthWithAWSException extends IOException {
        private static final long serialVersionUID = 1L;

        NoAuthWithAWSException(String message) {
            super(message);
        }
    }

    @Override
    public void initialize(URI name, Configuration conf) throws IOException {
        uri = URI.create(SCHEME + "://" + name.getAuthority());
        super.initialize(name, conf);
    }

    @Override
    public URI getUri() {
        return uri != null ? uri : URI.create(SCHEME + ":///"); // RawLocalFileSystem's constructor asks
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileStatus getFileStatus(Path p) throws IOException {
        throw refusal(p);
    }

    @Override
    public FileStatus[] listStatus(Path p) throws IOException {
        throw refusal(p);
    }

    private IOException refusal(Path p) {
        if ("oom".equals(uri.getHost())) {
            throw new OutOfMemoryError("Java heap space");
        }
        if ("noclass".equals(uri.getHost())) {
            throw new NoClassDefFoundError("org/apache/hadoop/fs/s3a/S3AFileSystem");
        }
        switch (uri.getHost()) {
            case "denied":
                return new java.nio.file.AccessDeniedException(p.toString(), null,
                        "getFileStatus on " + p + ": software.amazon.awssdk.services.s3.model.S3Exception: "
                                + "Forbidden (Service: S3, Status Code: 403)");
            case "nocreds":
                return new NoAuthWithAWSException("No AWS Credentials provided by TemporaryAWSCredentialsProvider "
                        + "SimpleAWSCredentialsProvider EnvironmentVariableCredentialsProvider");
            case "hdfsperm":
                return new AccessControlException("Permission denied: user=alice, access=READ_EXECUTE, inode=\""
                        + p.toUri().getPath() + "\":hdfs:supergroup:drwx------");
            default:
                return new FileNotFoundException(p.toString());
        }
    }
}
