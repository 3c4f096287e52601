package io.fwatlas.module;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * An appended module signature, as kmod's libkmod-signature.c reads it.
 *
 * <p>A PKCS#7 signature keeps its blob and parses it on the first call that needs its details:
 * the scan only records that a module is signed, and parsing took a tenth of its CPU on plain
 * modules (docs/BENCHMARKS.md).
 */
public final class ModuleSignature implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String idType;
    private final String algo;
    private final int length;
    /** The PKCS#7 blob, or null when the details were given (PGP, X509) or the blob was too big to read. */
    private final byte[] pkcs7;
    /** [signer, keyId, hashAlgo, value]; for PKCS#7 filled on first use (computing it twice is harmless). */
    private volatile String[] details;

    ModuleSignature(String idType, String algo, String hashAlgo, String signer, String keyId, int length, String value) {
        this.idType = idType;
        this.algo = algo;
        this.length = length;
        this.pkcs7 = null;
        this.details = new String[] {signer, keyId, hashAlgo, value};
    }

    /** A PKCS#7 signature of {@code length} bytes; {@code blob} null when it could not be read (all details unknown). */
    static ModuleSignature pkcs7(String idType, int length, byte[] blob) {
        return new ModuleSignature(idType, length, blob);
    }

    private ModuleSignature(String idType, int length, byte[] blob) {
        this.idType = idType;
        this.algo = null;
        this.length = length;
        this.pkcs7 = blob;
        this.details = blob == null ? new String[4] : null;
    }

    private String[] details() {
        String[] d = details;
        if (d == null) {
            d = Pkcs7Signer.describe(pkcs7);
            details = d;
        }
        return d;
    }

    /** {@code PGP}, {@code X509} or {@code PKCS#7}. */
    public String idType() {
        return idType;
    }

    /** Public-key algorithm ({@code RSA}, {@code DSA}); null for PKCS#7, whose header zeroes it. */
    public String algo() {
        return algo;
    }

    /** Digest name as kmod prints it ({@code sha256}); null when not known for certain. */
    public String hashAlgo() {
        return details()[2];
    }

    /** Signer name; for PKCS#7 the issuer common name, null when not parsed. */
    public String signer() {
        return details()[0];
    }

    /** Key identifier (PGP/X509) or certificate serial (PKCS#7) as colon-separated hex; null when not parsed. */
    public String keyId() {
        return details()[1];
    }

    /** Signature length in bytes. */
    public int length() {
        return length;
    }

    /** The signature value as colon-separated hex (for PKCS#7, the signer's); null when unknown. */
    public String value() {
        return details()[3];
    }

    /** True when every field kmod prints is known; kmod prints no signature lines otherwise. */
    public boolean complete() {
        return signer() != null && keyId() != null && hashAlgo() != null && value() != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModuleSignature s && idType.equals(s.idType) && Objects.equals(algo, s.algo)
                && length == s.length && Arrays.equals(details(), s.details());
    }

    @Override
    public int hashCode() {
        return Objects.hash(idType, algo, length, Arrays.hashCode(details()));
    }

    @Override
    public String toString() {
        return "ModuleSignature[idType=" + idType + ", algo=" + algo + ", hashAlgo=" + hashAlgo() + ", signer="
                + signer() + ", keyId=" + keyId() + ", length=" + length + ", value=" + value() + "]";
    }
}
