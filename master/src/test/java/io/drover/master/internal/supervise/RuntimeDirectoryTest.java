package io.drover.master.internal.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeDirectoryTest {
  @TempDir Path parent;

  private Path leftBy(String name, String owner) throws IOException {
    Path dir = Files.createDirectory(parent.resolve(name));
    Files.createFile(dir.resolve("workers.sock"));
    if (owner != null) {
      Files.writeString(dir.resolve(RuntimeDirectory.OWNER_FILE), owner);
    }
    return dir;
  }

  @Test
  void aTemporaryDirectoryTooDeepForTheWorkerSocketIsRefusedWithThePathAndTheLimit(@TempDir Path tmp)
      throws IOException {
    Path deep = tmp.resolve("d".repeat(100));
    assertThatThrownBy(() -> RuntimeDirectory.create(deep))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("workers.sock")
        .hasMessageContaining("more than the 107 a Unix domain socket allows")
        .hasMessageContaining("TMPDIR, now " + deep);
    try (var left = Files.list(deep)) {
      assertThat(left).as("nothing left in %s", deep).isEmpty();
    }
  }

  @Test
  void closingDeletesTheDirectory() throws IOException {
    RuntimeDirectory dir = RuntimeDirectory.create(parent);
    assertThat(dir.path()).startsWith(parent).isDirectory();
    assertThat(dir.path().resolve(RuntimeDirectory.OWNER_FILE)).hasContent(RuntimeDirectory.owner(ProcessHandle.current()).trim());
    dir.close();
    assertThat(dir.path()).doesNotExist();
  }

  @Test
  void aNewMasterRemovesTheDirectoriesOfMastersThatAreGoneAndOnlyThose() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path ofDeadMaster = leftBy("drover-111", gone.pid() + " -1");
    ProcessHandle self = ProcessHandle.current();
    Path ofLiveMaster = leftBy("drover-222", RuntimeDirectory.owner(self));
    long started = self.info().startInstant().orElseThrow().toEpochMilli();
    Path ofReusedPid = leftBy("drover-333", self.pid() + " " + (started - 60_000));
    Path ofOlderDrover = leftBy("drover-444", null);
    Path notOurs = leftBy("drover-hs_err", gone.pid() + " -1");

    try (RuntimeDirectory dir = RuntimeDirectory.create(parent)) {
      assertThat(ofDeadMaster).doesNotExist();
      assertThat(ofReusedPid).as("the pid now belongs to a process started later").doesNotExist();
      assertThat(ofLiveMaster).exists();
      assertThat(ofOlderDrover).as("no owner file: nothing tells it is stale").exists();
      assertThat(notOurs).exists();
      assertThat(dir.path()).exists();
    }
  }
}
