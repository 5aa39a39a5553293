package org.mailsift.core.message;

import java.util.Arrays;

/**
 * Content-Transfer-Encoding decoders over byte ranges. Lenient as MUAs are: invalid base64 characters are skipped,
 * a broken quoted-printable escape is kept literally. Output is bounded by {@code max} bytes.
 */
final class TransferDecoding {
    private static final int[] B64 = new int[256];

    static {
        Arrays.fill(B64, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            B64[alphabet.charAt(i)] = i;
        }
        B64['-'] = 62; // base64url, seen in broken mailers
        B64['_'] = 63;
    }

    private TransferDecoding() {
    }

    /** Decoded bytes plus whether input was damaged (garbage characters, truncation). */
    record Decoded(byte[] bytes, int length, boolean damaged, boolean truncated) {
    }

    /** Decodes by a lower-case Content-Transfer-Encoding; 7bit, 8bit, binary and unknown ones pass as they are. */
    static Decoded decode(String transferEncoding, byte[] in, int from, int to, int max) {
        return switch (transferEncoding) {
            case "base64" -> base64(in, from, to, max);
            case "quoted-printable" -> quotedPrintable(in, from, to, max);
            default -> identity(in, from, to, max);
        };
    }

    static Decoded base64(byte[] in, int from, int to, int max) {
        byte[] out = new byte[Math.min(max, (int) Math.min(Integer.MAX_VALUE - 8, ((long) (to - from)) * 3 / 4 + 3))];
        int o = 0;
        int acc = 0;
        int bits = 0;
        boolean damaged = false;
        boolean truncated = false;
        for (int i = from; i < to; i++) {
            int c = in[i] & 0xff;
            int v = B64[c];
            if (v < 0) {
                if (c == '=') {
                    // padding: the rest of this group is done; later data may follow in concatenated blobs
                    bits = 0;
                    acc = 0;
                } else if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
                    damaged = true;
                }
                continue;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                if (o >= out.length) {
                    truncated = true;
                    break;
                }
                out[o++] = (byte) (acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        return new Decoded(out, o, damaged, truncated);
    }

    /** Size of the base64 payload without storing it (for attachments, which no rule reads). */
    static long base64Size(byte[] in, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            if (B64[in[i] & 0xff] >= 0) {
                n++;
            }
        }
        return n * 3 / 4;
    }

    static Decoded quotedPrintable(byte[] in, int from, int to, int max) {
        byte[] out = new byte[Math.min(max, to - from)];
        int o = 0;
        boolean damaged = false;
        boolean truncated = false;
        int i = from;
        while (i < to) {
            if (o >= out.length) {
                truncated = i < to;
                break;
            }
            byte c = in[i];
            if (c == '=') {
                if (i + 1 < to && (in[i + 1] == '\n' || in[i + 1] == '\r')) {
                    // soft line break
                    i += in[i + 1] == '\r' && i + 2 < to && in[i + 2] == '\n' ? 3 : 2;
                    continue;
                }
                if (i + 2 < to) {
                    int h = hex(in[i + 1]);
                    int l = hex(in[i + 2]);
                    if (h >= 0 && l >= 0) {
                        out[o++] = (byte) ((h << 4) | l);
                        i += 3;
                        continue;
                    }
                }
                // trailing whitespace after '=' before the line end is a soft break too
                int j = i + 1;
                while (j < to && (in[j] == ' ' || in[j] == '\t')) {
                    j++;
                }
                if (j < to && (in[j] == '\r' || in[j] == '\n')) {
                    i = in[j] == '\r' && j + 1 < to && in[j + 1] == '\n' ? j + 2 : j + 1;
                    continue;
                }
                damaged = true;
                out[o++] = c;
                i++;
            } else {
                out[o++] = c;
                i++;
            }
        }
        return new Decoded(out, o, damaged, truncated);
    }

    static Decoded identity(byte[] in, int from, int to, int max) {
        int len = Math.min(max, to - from);
        return new Decoded(Arrays.copyOfRange(in, from, from + len), len, false, len < to - from);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }
}
