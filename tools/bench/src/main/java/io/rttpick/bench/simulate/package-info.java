/**
 * Internal: {@code ./rttpick simulate}, a week of a user's reconnects in virtual time, the real
 * fleet selector beside the policies of other projects, and the figures that compare them. Not a
 * library: nothing here is API.
 */
@Internal
package io.rttpick.bench.simulate;

import io.rttpick.prober.stability.Internal;
