package org.mailsift.scanner.policy.ratelimit;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers as Lua's {@code tostring} writes them ({@code %.14g}), so bucket keys are the ones Rspamd computes and a
 * Redis shared with Rspamd holds the same buckets.
 */
final class LuaNumbers {
    private LuaNumbers() {
    }

    static String format(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        BigDecimal v = new BigDecimal(d).round(new MathContext(14, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        int exponent = v.precision() - v.scale() - 1;
        if (exponent < -4 || exponent >= 14) {
            String mantissa = v.movePointLeft(exponent).toPlainString();
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                    + Math.abs(exponent);
        }
        return v.toPlainString();
    }
}
