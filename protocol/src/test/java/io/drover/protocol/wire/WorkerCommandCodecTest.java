package io.drover.protocol.wire;

import io.drover.protocol.proto.WorkerCommandHeader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** {@link WorkerCommandCodec} against the generated {@link WorkerCommandHeader}. */
class WorkerCommandCodecTest extends HeaderCodecProperties<WorkerCommandHeader> {
  @Override
  HeaderCodecAdapter<WorkerCommandHeader> codec() {
    return HeaderCodecs.WORKER_COMMAND;
  }

  @Override
  Arbitrary<WorkerCommandHeader> headerArbitrary() {
    return Combinators.combine(
            Arbitraries.oneOf(Arbitraries.of(0, 1), int32s()), uint64s(), texts(), int32s(), traceparents())
        .as(
            (kind, taskId, taskType, attempt, traceparent) ->
                WorkerCommandHeader.newBuilder()
                    .setKindValue(kind)
                    .setTaskId(taskId)
                    .setTaskTypeBytes(utf8(taskType))
                    .setAttempt(attempt)
                    .setTraceparent(traceparent)
                    .build());
  }
}
