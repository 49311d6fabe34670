/**
 * API: the {@code rttpick} load-balancing policy for grpc-java ({@link
 * io.rttpick.grpc.RttpickLoadBalancerProvider}, found by grpc's {@code LoadBalancerRegistry}) and
 * its service-config keys ({@link io.rttpick.grpc.RttpickPolicyConfig}). The balancer itself is
 * internal.
 */
@Api
package io.rttpick.grpc;

import io.rttpick.prober.stability.Api;
