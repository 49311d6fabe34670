/**
 * API for prober authors' tests: the contract suite every prober extends, its targets, and the
 * fleet namespace's skip-or-fail rule.
 */
@Api
package io.rttpick.prober.testing;

import io.rttpick.prober.stability.Api;
