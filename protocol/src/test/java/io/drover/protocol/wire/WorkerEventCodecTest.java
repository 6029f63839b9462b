package io.drover.protocol.wire;

import io.drover.protocol.proto.WorkerEventHeader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** {@link WorkerEventCodec} against the generated {@link WorkerEventHeader}. */
class WorkerEventCodecTest extends HeaderCodecProperties<WorkerEventHeader> {
  @Override
  HeaderCodecAdapter<WorkerEventHeader> codec() {
    return HeaderCodecs.WORKER_EVENT;
  }

  @Override
  Arbitrary<WorkerEventHeader> headerArbitrary() {
    return Combinators.combine(
            Arbitraries.oneOf(Arbitraries.of(0, 1), int32s()),
            uint64s(),
            Arbitraries.oneOf(Arbitraries.integers().between(0, 11), int32s()),
            texts())
        .as(
            (kind, taskId, status, message) ->
                WorkerEventHeader.newBuilder()
                    .setKindValue(kind)
                    .setTaskId(taskId)
                    .setStatusValue(status)
                    .setMessageBytes(utf8(message))
                    .build());
  }
}
