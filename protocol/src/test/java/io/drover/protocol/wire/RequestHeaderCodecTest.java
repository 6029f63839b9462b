package io.drover.protocol.wire;

import io.drover.protocol.proto.RequestHeader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** {@link RequestHeaderCodec} against the generated {@link RequestHeader}. */
class RequestHeaderCodecTest extends HeaderCodecProperties<RequestHeader> {
  @Override
  HeaderCodecAdapter<RequestHeader> codec() {
    return HeaderCodecs.REQUEST;
  }

  @Override
  Arbitrary<RequestHeader> headerArbitrary() {
    return Combinators.combine(
            Arbitraries.oneOf(Arbitraries.of(0, 1), int32s()),
            uint64s(),
            texts(),
            Arbitraries.of(false, true),
            texts(),
            Arbitraries.oneOf(Arbitraries.of(0, 1, 2), int32s()),
            int32s(),
            traceparents())
        .as(
            (kind, requestId, taskType, noRetry, routingKey, priority, timeoutMs, traceparent) ->
                RequestHeader.newBuilder()
                    .setKindValue(kind)
                    .setRequestId(requestId)
                    .setTaskTypeBytes(utf8(taskType))
                    .setNoRetry(noRetry)
                    .setRoutingKeyBytes(utf8(routingKey))
                    .setPriorityValue(priority)
                    .setTimeoutMs(timeoutMs)
                    .setTraceparent(traceparent)
                    .build());
  }
}
