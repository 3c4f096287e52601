package io.fwatlas.cli;

import io.fwatlas.module.ModuleSignature;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The five signature strings kmod's {@code kmod_module_get_info} appends after {@code .modinfo}:
 * sig_id, signer, sig_key, sig_hashalgo and signature, laid out as kmod prints them.
 */
final class KmodSignature {
    private KmodSignature() {
    }

    /** The strings as key, value pairs; empty when kmod would show no signature. */
    static List<byte[][]> entries(ModuleSignature s) {
        if (s == null || !s.complete()) {
            return List.of();
        }
        return List.of(
                pair("sig_id", s.idType()),
                pair("signer", s.signer()),
                pair("sig_key", wrap(s.keyId())),
                pair("sig_hashalgo", s.hashAlgo()),
                pair("signature", wrap(s.value())));
    }

    /** kmod's hex layout: a line break and two tabs after every 20 bytes of {@code 01:AB:...}. */
    static String wrap(String hex) {
        StringBuilder sb = new StringBuilder(hex.length() + hex.length() / 60 * 3);
        int bytes = 0;
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            sb.append(c);
            if (c == ':' && ++bytes % 20 == 0) {
                sb.append("\n\t\t");
            }
        }
        return sb.toString();
    }

    private static byte[][] pair(String key, String value) {
        return new byte[][] {key.getBytes(StandardCharsets.US_ASCII), value.getBytes(StandardCharsets.UTF_8)};
    }
}
