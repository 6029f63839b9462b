package io.drover.protocol.wire;

import io.drover.protocol.proto.ResponseHeader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** {@link ResponseHeaderCodec} against the generated {@link ResponseHeader}. */
class ResponseHeaderCodecTest extends HeaderCodecProperties<ResponseHeader> {
  @Override
  HeaderCodecAdapter<ResponseHeader> codec() {
    return HeaderCodecs.RESPONSE;
  }

  @Override
  Arbitrary<ResponseHeader> headerArbitrary() {
    return Combinators.combine(
            uint64s(),
            Arbitraries.oneOf(Arbitraries.integers().between(0, 12), int32s()),
            texts(),
            int32s(),
            // A partial frame names a subtask; any index but the one reserved for "not partial".
            Arbitraries.oneOf(
                Arbitraries.just(ResponseHeaderCodec.NOT_PARTIAL),
                Arbitraries.integers().between(0, Integer.MAX_VALUE)))
        .as(
            (requestId, status, message, attempts, subtask) ->
                ResponseHeader.newBuilder()
                    .setRequestId(requestId)
                    .setStatusValue(status)
                    .setMessageBytes(utf8(message))
                    .setAttempts(attempts)
                    .setPartial(subtask != ResponseHeaderCodec.NOT_PARTIAL)
                    .setSubtaskIndex(subtask == ResponseHeaderCodec.NOT_PARTIAL ? 0 : subtask)
                    .build());
  }
}
