package io.fwatlas.module;

import java.math.BigInteger;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Reads signer, key serial and digest of a PKCS#7 module signature, as kmod prints them. */
final class Pkcs7Signer {
    /** Digest OIDs by the names in kmod's pkey_hash_algo table. */
    private static final Map<String, String> DIGESTS = Map.of(
            "1.2.840.113549.2.4", "md4",
            "1.2.840.113549.2.5", "md5",
            "1.3.14.3.2.26", "sha1",
            "1.3.36.3.2.1", "rmd160",
            "2.16.840.1.101.3.4.2.1", "sha256",
            "2.16.840.1.101.3.4.2.2", "sha384",
            "2.16.840.1.101.3.4.2.3", "sha512",
            "2.16.840.1.101.3.4.2.4", "sha224",
            "1.2.156.10197.1.401", "sm3");

    private Pkcs7Signer() {
    }

    /**
     * [signer, serial, digest name, signature value]; an element is null when it cannot be read for
     * certain. Reads Bouncy Castle's ASN.1 structures directly: its CMS layer (CMSSignedData,
     * SignerInformation) read the same fields with a third of the scan's signature time on top.
     */
    static String[] describe(byte[] blob) {
        try (ASN1InputStream in = new ASN1InputStream(blob)) {
            ContentInfo content = ContentInfo.getInstance(in.readObject());
            ASN1Set signers = SignedData.getInstance(content.getContent()).getSignerInfos();
            if (signers.size() == 0) {
                return new String[4];
            }
            SignerInfo si = SignerInfo.getInstance(signers.getObjectAt(0));
            String signer = null;
            String key = null;
            if (!si.getSID().isTagged()) {   // else a subject key identifier: no issuer, no serial
                IssuerAndSerialNumber id = IssuerAndSerialNumber.getInstance(si.getSID().getId());
                signer = id.getName() == null ? null : signer(id.getName());
                BigInteger serial = id.getSerialNumber() == null ? null : id.getSerialNumber().getValue();
                key = serial == null ? null : Signatures.hex(magnitude(serial.abs()));
            }
            String digest = DIGESTS.get(si.getDigestAlgorithm().getAlgorithm().getId());
            byte[] value = si.getEncryptedDigest() == null ? null : si.getEncryptedDigest().getOctets();
            return new String[] {signer, key, digest, value == null ? null : Signatures.hex(value)};
        } catch (Exception | LinkageError e) {
            // A blob that does not parse, or no parser at run time: unknown, never guessed.
            return new String[4];
        }
    }

    /** Like kmod's x509_name_to_str: the issuer's common name, or its last entry when it has none. */
    private static String signer(X500Name issuer) {
        RDN[] cn = issuer.getRDNs(BCStyle.CN);
        RDN[] all = issuer.getRDNs();
        RDN rdn = cn.length > 0 ? cn[0] : all.length > 0 ? all[all.length - 1] : null;
        if (rdn == null) {
            return "";
        }
        AttributeTypeAndValue[] values = rdn.getTypesAndValues();
        ASN1Encodable v = (cn.length > 0 ? rdn.getFirst() : values[values.length - 1]).getValue();
        return v instanceof ASN1String ? ((ASN1String) v).getString() : IETFUtils.valueToString(v);
    }

    /** The serial's bytes without the sign byte, as OpenSSL's ASN1_INTEGER holds them. */
    private static byte[] magnitude(BigInteger serial) {
        byte[] b = serial.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            return java.util.Arrays.copyOfRange(b, 1, b.length);
        }
        return b;
    }
}
