package io.fwatlas.module;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Reads the {@code ~Module signature appended~} trailer of a module's (decompressed) bytes. */
final class Signatures {
    static final byte[] MAGIC = "~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII);
    /** {@code struct module_signature}: algo, hash, id_type, signer_len, key_id_len, pad[3], be32 sig_len. */
    static final int STRUCT_SIZE = 12;
    private static final String[] ALGOS = {"DSA", "RSA"};
    private static final String[] HASHES = {"md4", "md5", "sha1", "rmd160", "sha256", "sha384", "sha512", "sha224", "sm3"};
    private static final String[] ID_TYPES = {"PGP", "X509", "PKCS#7"};
    private static final int PKCS7 = 2;
    private static final HexFormat HEX = HexFormat.ofDelimiter(":").withUpperCase();
    /** Real signatures are a few hundred bytes to a few KiB; larger ones are not copied. */
    static final int MAX_SIGNATURE = 64 * 1024;

    private Signatures() {
    }

    /** The signature, or null when there is none or kmod would not accept its header. */
    static ModuleSignature read(ByteSource src) throws IOException {
        long size = src.size();
        int tail = MAGIC.length + STRUCT_SIZE;
        if (size < tail) {
            return null;
        }
        byte[] t = new byte[tail];
        src.readFully(size - tail, t, 0, tail);
        for (int i = 0; i < MAGIC.length; i++) {
            if (t[STRUCT_SIZE + i] != MAGIC[i]) {
                return null;
            }
        }
        int algo = t[0] & 0xff;
        int hash = t[1] & 0xff;
        int idType = t[2] & 0xff;
        int signerLen = t[3] & 0xff;
        int keyIdLen = t[4] & 0xff;
        long sigLen = ((t[8] & 0xffL) << 24) | ((t[9] & 0xff) << 16) | ((t[10] & 0xff) << 8) | (t[11] & 0xff);
        if (algo >= ALGOS.length || hash >= HASHES.length || idType >= ID_TYPES.length) {
            return null;
        }
        long body = size - tail;
        if (sigLen == 0 || body < signerLen + keyIdLen + sigLen) {
            return null;
        }
        long sigAt = body - sigLen;
        byte[] sig = sigLen <= MAX_SIGNATURE ? new byte[(int) sigLen] : null;
        if (sig != null) {
            src.readFully(sigAt, sig, 0, sig.length);
        }
        if (idType == PKCS7) {
            // The kernel zeroes algo, hash and the lengths; the details live in the PKCS#7 blob.
            return ModuleSignature.pkcs7(ID_TYPES[idType], (int) sigLen, sig);
        }
        long keyIdAt = sigAt - keyIdLen;
        long signerAt = keyIdAt - signerLen;
        byte[] signer = new byte[signerLen];
        src.readFully(signerAt, signer, 0, signerLen);
        byte[] keyId = new byte[keyIdLen];
        src.readFully(keyIdAt, keyId, 0, keyIdLen);
        // kmod prints the signer with %s, so it ends at a NUL.
        int signerEnd = 0;
        while (signerEnd < signerLen && signer[signerEnd] != 0) {
            signerEnd++;
        }
        return new ModuleSignature(ID_TYPES[idType], ALGOS[algo], HASHES[hash],
                ModinfoStrings.utf8(signer, 0, signerEnd), hex(keyId), (int) sigLen, sig == null ? null : hex(sig));
    }

    /** Colon-separated upper-case hex, as kmod prints key ids (without its line breaks). */
    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }
}
