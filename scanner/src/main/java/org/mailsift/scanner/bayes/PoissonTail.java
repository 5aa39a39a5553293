package org.mailsift.scanner.bayes;

/**
 * Logarithms of the two tails of a Poisson distribution, which is what Fisher's chi-square with an even number of
 * degrees of freedom reduces to: {@code Q(2m, 2k) = P(Poisson(m) < k)}. Summed in log space around the largest term,
 * so neither tail underflows to 0 nor rounds to 1 (the plain sum saturates for most real messages).
 */
final class PoissonTail {
    /** Terms this far (in nats) below the largest one do not change a double. */
    private static final double NEGLIGIBLE = 40;

    private PoissonTail() {
    }

    /** ln P(Poisson(m) &lt; k), i.e. ln of the chi-square survival Q(2m, 2k). */
    static double logLower(double m, int k) {
        if (k <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (m <= 0) {
            return 0;
        }
        int peak = (int) Math.min(k - 1, Math.floor(m));
        return sumAround(m, peak, 0, k - 1);
    }

    /** ln P(Poisson(m) &gt;= k), i.e. ln(1 - Q(2m, 2k)). */
    static double logUpper(double m, int k) {
        if (k <= 0) {
            return 0;
        }
        if (m <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        int peak = (int) Math.max(k, Math.floor(m));
        return sumAround(m, peak, k, Integer.MAX_VALUE);
    }

    static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double hi = Math.max(a, b);
        return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
    }

    /** ln of the sum of the Poisson terms i in [lo, hi], walking out from {@code peak} until they are negligible. */
    private static double sumAround(double m, int peak, int lo, int hi) {
        double lnM = Math.log(m);
        double peakTerm = -m + peak * lnM - lnFactorial(peak);
        double sum = 1; // relative to peakTerm
        double t = 0;
        for (int i = peak - 1; i >= lo; i--) { // term(i) = term(i + 1) * (i + 1) / m
            t += Math.log((i + 1) / m);
            if (t < -NEGLIGIBLE) {
                break;
            }
            sum += Math.exp(t);
        }
        t = 0;
        for (int i = peak + 1; i <= hi && i > 0; i++) { // term(i) = term(i - 1) * m / i
            t += lnM - Math.log(i);
            if (t < -NEGLIGIBLE) {
                break;
            }
            sum += Math.exp(t);
        }
        return peakTerm + Math.log(sum);
    }

    private static double lnFactorial(int n) {
        if (n < 2) {
            return 0;
        }
        if (n < 20) {
            double f = 0;
            for (int i = 2; i <= n; i++) {
                f += Math.log(i);
            }
            return f;
        }
        double x = n + 1.0; // Stirling series for ln Gamma(x)
        double x2 = x * x;
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x2)
                + 1 / (1260 * x * x2 * x2);
    }
}
