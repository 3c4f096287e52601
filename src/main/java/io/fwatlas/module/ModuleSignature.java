package io.fwatlas.module;

import java.io.Serializable;

/**
 * An appended module signature, as kmod's libkmod-signature.c reads it.
 *
 * @param idType    {@code PGP}, {@code X509} or {@code PKCS#7}
 * @param algo      public-key algorithm ({@code RSA}, {@code DSA}); null for PKCS#7, whose header zeroes it
 * @param hashAlgo  digest name as kmod prints it ({@code sha256}); null when not known for certain
 * @param signer    signer name; for PKCS#7 the issuer common name, null when not parsed
 * @param keyId     key identifier (PGP/X509) or certificate serial (PKCS#7) as colon-separated hex; null when not parsed
 * @param length    signature length in bytes
 * @param value     the signature value as colon-separated hex (for PKCS#7, the signer's); null when unknown
 */
public record ModuleSignature(String idType, String algo, String hashAlgo, String signer, String keyId, int length,
                              String value)
        implements Serializable {

    /** True when every field kmod prints is known; kmod prints no signature lines otherwise. */
    public boolean complete() {
        return signer != null && keyId != null && hashAlgo != null && value != null;
    }
}
