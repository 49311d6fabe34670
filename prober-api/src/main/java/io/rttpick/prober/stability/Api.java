package io.rttpick.prober.stability;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a package (in its package-info) as stable API: what users call; changed only as the
 * versioning policy says (CHANGELOG.md), and checked against the last release by .ci/api-check.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.PACKAGE, ElementType.TYPE})
public @interface Api {
}
