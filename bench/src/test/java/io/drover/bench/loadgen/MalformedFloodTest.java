package io.drover.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MalformedFloodTest {
  /** Answers every 4-byte frame with a 3-byte one, as the master answers MALFORMED_FRAME. */
  private static CompletableFuture<Void> answerEveryFrame(ServerSocket server, AtomicLong received) {
    return CompletableFuture.runAsync(
        () -> {
          try (Socket s = server.accept()) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            byte[] frame = new byte[MalformedFlood.FRAME.length];
            while (true) {
              in.readFully(frame);
              assertThat(frame).isEqualTo(MalformedFlood.FRAME);
              received.incrementAndGet();
              out.write(new byte[] {2, 8, 0});
              if (in.available() == 0) {
                out.flush();
              }
            }
          } catch (IOException e) {
            // the flood closed the connection
          }
        });
  }

  @Test
  void sendsMalformedFramesUntilClosedAndCountsEveryAnswer() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      AtomicLong received = new AtomicLong();
      CompletableFuture<Void> answering = answerEveryFrame(server, received);
      MalformedFlood flood = MalformedFlood.start("127.0.0.1", server.getLocalPort());
      await().until(() -> flood.answered() > 100_000);
      flood.close();
      answering.join();
      assertThat(flood.failure()).isNull();
      assertThat(flood.answered()).isEqualTo(flood.sent()).isEqualTo(received.get());
      assertThat(flood.describe()).contains("malformed frames sent").contains("answered");
    }
  }
}
