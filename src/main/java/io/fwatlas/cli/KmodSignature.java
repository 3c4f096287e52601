package io.fwatlas.cli;

import io.fwatlas.module.ByteSource;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The five signature strings kmod's {@code kmod_module_get_info} appends after {@code .modinfo}:
 * sig_id, signer, sig_key, sig_hashalgo and signature, with kmod's bytes. PKCS#7 blobs are read
 * with a small DER walker that picks the same fields kmod takes through OpenSSL.
 */
final class KmodSignature {
    static final byte[] MAGIC = "~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII);
    private static final int STRUCT_SIZE = 12;
    private static final int PKCS7 = 2;
    private static final String[] ID_TYPES = {"PGP", "X509", "PKCS#7"};
    private static final int ALGO_COUNT = 2;
    private static final String[] HASHES = {"md4", "md5", "sha1", "rmd160", "sha256", "sha384", "sha512", "sha224", "sm3"};
    /** DER contents of the digest OIDs, in the order of {@link #HASHES}. */
    private static final byte[][] HASH_OIDS = {
        {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x02, 0x04},
        {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x02, 0x05},
        {0x2b, 0x0e, 0x03, 0x02, 0x1a},
        {0x2b, 0x24, 0x03, 0x02, 0x01},
        {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01},
        {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02},
        {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03},
        {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04},
        {0x2a, (byte) 0x81, 0x1c, (byte) 0xcf, 0x55, 0x01, (byte) 0x83, 0x11},
    };
    private static final byte[] OID_SIGNED_DATA = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x07, 0x02};
    private static final byte[] OID_COMMON_NAME = {0x55, 0x04, 0x03};

    private KmodSignature() {
    }

    /** The strings as key, value pairs; empty when kmod would show no signature. */
    static List<byte[][]> read(ByteSource image) throws IOException {
        long size = image.size();
        int tail = MAGIC.length + STRUCT_SIZE;
        if (size < tail) {
            return List.of();
        }
        byte[] t = new byte[tail];
        image.readFully(size - tail, t, 0, tail);
        if (!Arrays.equals(t, STRUCT_SIZE, tail, MAGIC, 0, MAGIC.length)) {
            return List.of();
        }
        int algo = t[0] & 0xff;
        int hash = t[1] & 0xff;
        int idType = t[2] & 0xff;
        int signerLen = t[3] & 0xff;
        int keyIdLen = t[4] & 0xff;
        long sigLen = ((t[8] & 0xffL) << 24) | ((t[9] & 0xff) << 16) | ((t[10] & 0xff) << 8) | (t[11] & 0xff);
        if (algo >= ALGO_COUNT || hash >= HASHES.length || idType >= ID_TYPES.length) {
            return List.of();
        }
        long body = size - tail;
        if (sigLen == 0 || body < signerLen + keyIdLen + sigLen || sigLen > Integer.MAX_VALUE - 16) {
            return List.of();
        }
        byte[] sig = new byte[(int) sigLen];
        image.readFully(body - sigLen, sig, 0, sig.length);
        if (idType == PKCS7) {
            return pkcs7(sig);
        }
        byte[] keyId = new byte[keyIdLen];
        image.readFully(body - sigLen - keyIdLen, keyId, 0, keyIdLen);
        byte[] signer = new byte[signerLen];
        image.readFully(body - sigLen - keyIdLen - signerLen, signer, 0, signerLen);
        return entries(ID_TYPES[idType], signer, keyId, HASHES[hash], sig);
    }

    private static List<byte[][]> entries(String idType, byte[] signer, byte[] keyId, String hash, byte[] sig) {
        return List.of(
                pair("sig_id", ascii(idType)),
                // kmod keeps the bytes but prints them with %s, so output ends at a NUL
                pair("signer", untilNul(signer)),
                pair("sig_key", hex(keyId)),
                pair("sig_hashalgo", ascii(hash)),
                pair("signature", hex(sig)));
    }

    /**
     * kmod (OpenSSL build) shows the first SignerInfo: the issuer's common name (or the last name
     * entry when there is none), the serial number's magnitude, the digest algorithm and the
     * encrypted digest. A blob it cannot read gives no signature strings at all.
     */
    private static List<byte[][]> pkcs7(byte[] der) {
        try {
            Der contentInfo = Der.at(der, 0, der.length).expect(0x30);
            Der oid = contentInfo.first().expect(0x06);
            if (!oid.contentEquals(OID_SIGNED_DATA)) {
                return List.of();
            }
            Der signedData = oid.next(contentInfo).expect(0xa0).first().expect(0x30);
            Der d = signedData.first().expect(0x02); // version
            d = d.next(signedData).expect(0x31); // digestAlgorithms
            d = d.next(signedData).expect(0x30); // contentInfo
            d = d.next(signedData);
            while (d.tag == 0xa0 || d.tag == 0xa1) { // certificates, crls
                d = d.next(signedData);
            }
            Der signerInfo = d.expect(0x31).first().expect(0x30);
            Der issuerAndSerial = signerInfo.first().expect(0x02).next(signerInfo).expect(0x30);
            Der issuer = issuerAndSerial.first().expect(0x30);
            Der serial = issuer.next(issuerAndSerial).expect(0x02);
            Der digestAlg = issuerAndSerial.next(signerInfo).expect(0x30);
            Der s = digestAlg.next(signerInfo);
            if (s.tag == 0xa0) { // authenticatedAttributes
                s = s.next(signerInfo);
            }
            Der encDigest = s.expect(0x30).next(signerInfo).expect(0x04);

            String hash = hashName(digestAlg.first().expect(0x06));
            if (hash == null) {
                return List.of();
            }
            byte[] magnitude = new BigInteger(serial.content()).abs().toByteArray();
            int lead = 0;
            while (lead < magnitude.length && magnitude[lead] == 0) {
                lead++;
            }
            byte[] serialBytes = Arrays.copyOfRange(magnitude, lead, magnitude.length);
            return entries(ID_TYPES[PKCS7], issuerName(issuer), serialBytes, hash, encDigest.content());
        } catch (DerException | RuntimeException e) {
            // a missing element shows up as null (NullPointerException), a zero-length INTEGER as NumberFormatException
            return List.of();
        }
    }

    private static String hashName(Der oid) {
        for (int i = 0; i < HASH_OIDS.length; i++) {
            if (oid.contentEquals(HASH_OIDS[i])) {
                return HASHES[i];
            }
        }
        return null;
    }

    /** The common name of a Name; like kmod's x509_name_to_str, the last entry when no CN. */
    private static byte[] issuerName(Der name) throws DerException {
        byte[] last = new byte[0];
        for (Der rdn = name.first(); rdn != null; rdn = rdn.next(name)) {
            rdn.expect(0x31);
            for (Der ava = rdn.first(); ava != null; ava = ava.next(rdn)) {
                ava.expect(0x30);
                Der type = ava.first().expect(0x06);
                Der value = type.next(ava);
                if (value == null) {
                    throw new DerException();
                }
                last = value.content();
                if (type.contentEquals(OID_COMMON_NAME)) {
                    return last;
                }
            }
        }
        return last;
    }

    private static byte[][] pair(String key, byte[] value) {
        return new byte[][] {ascii(key), value};
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] untilNul(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return Arrays.copyOf(b, i);
            }
        }
        return b;
    }

    /** kmod's hex layout: {@code 01:AB:...}, a line break and two tabs after every 20 bytes. */
    static byte[] hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 3 + b.length / 20 * 3);
        for (int i = 0; i < b.length; i++) {
            sb.append(Character.toUpperCase(Character.forDigit((b[i] >> 4) & 0xf, 16)));
            sb.append(Character.toUpperCase(Character.forDigit(b[i] & 0xf, 16)));
            if (i < b.length - 1) {
                sb.append(':');
                if ((i + 1) % 20 == 0) {
                    sb.append("\n\t\t");
                }
            }
        }
        return ascii(sb.toString());
    }

    private static final class DerException extends Exception {
        DerException() {
            super(null, null, false, false);
        }
    }

    /** One DER element inside {@code data}: tag, content range, end. Definite lengths only. */
    private static final class Der {
        final byte[] data;
        final int tag;
        final int start;
        final int end;

        private Der(byte[] data, int tag, int start, int end) {
            this.data = data;
            this.tag = tag;
            this.start = start;
            this.end = end;
        }

        static Der at(byte[] data, int pos, int limit) throws DerException {
            if (pos + 2 > limit) {
                throw new DerException();
            }
            int tag = data[pos] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                throw new DerException(); // multi-byte tags do not occur in PKCS#7
            }
            int len = data[pos + 1] & 0xff;
            int p = pos + 2;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n == 0 || n > 3 || p + n > limit) {
                    throw new DerException();
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (data[p++] & 0xff);
                }
            }
            if (len > limit - p) {
                throw new DerException();
            }
            return new Der(data, tag, p, p + len);
        }

        Der expect(int wanted) throws DerException {
            if (tag != wanted) {
                throw new DerException();
            }
            return this;
        }

        /** The first element inside this one, or null when empty. */
        Der first() throws DerException {
            return start == end ? null : at(data, start, end);
        }

        /** The element after this one inside {@code parent}, or null at its end. */
        Der next(Der parent) throws DerException {
            return end == parent.end ? null : at(data, end, parent.end);
        }

        byte[] content() {
            return Arrays.copyOfRange(data, start, end);
        }

        boolean contentEquals(byte[] b) {
            return Arrays.equals(data, start, end, b, 0, b.length);
        }
    }
}
