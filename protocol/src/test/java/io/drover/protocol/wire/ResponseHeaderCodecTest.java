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
            uint64s(), Arbitraries.oneOf(Arbitraries.integers().between(0, 11), int32s()), texts(),
            int32s())
        .as(
            (requestId, status, message, attempts) ->
                ResponseHeader.newBuilder()
                    .setRequestId(requestId)
                    .setStatusValue(status)
                    .setMessageBytes(utf8(message))
                    .setAttempts(attempts)
                    .build());
  }
}
