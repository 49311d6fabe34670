package io.rttpick.bench.simulate;

/** Pearson's chi-square test of counts against a uniform spread, with its p-value. */
final class ChiSquare {
    private ChiSquare() {
    }

    static double statistic(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double expected = (double) total / counts.length;
        double x = 0;
        for (long c : counts) {
            x += (c - expected) * (c - expected) / expected;
        }
        return x;
    }

    /** P(X >= x) for a chi-square with {@code df} degrees of freedom: Q(df/2, x/2). */
    static double pValue(double x, int df) {
        return upperGamma(df / 2.0, x / 2.0);
    }

    /** The regularized upper incomplete gamma function (series below a + 1, continued fraction above). */
    private static double upperGamma(double a, double x) {
        if (x <= 0) {
            return 1;
        }
        double lnFront = -x + a * Math.log(x) - logGamma(a);
        if (x < a + 1) {
            double sum = 1 / a;
            double term = sum;
            for (int n = 1; n < 500; n++) {
                term *= x / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * 1e-15) {
                    break;
                }
            }
            return 1 - sum * Math.exp(lnFront);
        }
        double b = x + 1 - a;
        double c = 1 / 1e-300;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 500; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < 1e-300 ? 1e-300 : d;
            c = b + an / c;
            c = Math.abs(c) < 1e-300 ? 1e-300 : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return Math.exp(lnFront) * h;
    }

    /** Lanczos approximation. */
    private static double logGamma(double x) {
        double[] g = {76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2,
            -0.5395239384953e-5};
        double y = x;
        double tmp = x + 5.5;
        tmp -= (x + 0.5) * Math.log(tmp);
        double ser = 1.000000000190015;
        for (double c : g) {
            ser += c / ++y;
        }
        return -tmp + Math.log(2.5066282746310005 * ser / x);
    }
}
