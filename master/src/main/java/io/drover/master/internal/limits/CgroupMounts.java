package io.drover.master.internal.limits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the master's own cgroups are, from {@code /proc/self/cgroup} (its path in each
 * hierarchy) and {@code /proc/self/mountinfo} (where each hierarchy is mounted, and which part of
 * it: a container often sees only its own subtree, mounted as the root).
 *
 * @param v1 the master's cgroup directory in each cgroup v1 hierarchy, by controller
 *     ({@code memory}, {@code cpu}, {@code cpuacct}, {@code pids})
 * @param v2 the master's cgroup directory in the cgroup v2 hierarchy, or null without one
 */
record CgroupMounts(Map<String, Path> v1, Path v2) {
  /** The v1 controllers Drover uses: three to limit, {@code cpuacct} to account. */
  static final Set<String> V1_CONTROLLERS = Set.of("memory", "cpu", "cpuacct", "pids");

  CgroupMounts {
    v1 = Map.copyOf(v1);
  }

  /** Reads {@code cgroup} and {@code mountinfo} in {@code procSelf} (normally {@code /proc/self}). */
  static CgroupMounts read(Path procSelf) throws IOException {
    List<String> cgroupLines;
    List<String> mountLines;
    try {
      cgroupLines = Files.readAllLines(procSelf.resolve("cgroup"), StandardCharsets.UTF_8);
      mountLines = Files.readAllLines(procSelf.resolve("mountinfo"), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new CgroupMounts(Map.of(), null);
    }
    // hierarchy "cpu,cpuacct" -> "/path"; the v2 one under "".
    Map<String, String> ownPaths = new HashMap<>();
    for (String line : cgroupLines) {
      String[] f = line.split(":", 3);
      if (f.length == 3) {
        ownPaths.put(f[1], f[2]);
      }
    }
    Map<String, Path> v1 = new HashMap<>();
    Path v2 = null;
    for (String line : mountLines) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] before = line.substring(0, dash).split(" ");
      String[] after = line.substring(dash + 3).split(" ");
      if (before.length < 5 || after.length < 3) {
        continue;
      }
      String root = unescape(before[3]);
      Path mountPoint = Path.of(unescape(before[4]));
      if (after[0].equals("cgroup2") && v2 == null && ownPaths.containsKey("")) {
        v2 = under(mountPoint, root, ownPaths.get(""));
      } else if (after[0].equals("cgroup")) {
        Set<String> options = Set.of(after[2].split(","));
        for (Map.Entry<String, String> own : ownPaths.entrySet()) {
          Set<String> hierarchy = Set.of(own.getKey().split(","));
          for (String controller : V1_CONTROLLERS) {
            if (hierarchy.contains(controller) && options.contains(controller) && !v1.containsKey(controller)) {
              Path dir = under(mountPoint, root, own.getValue());
              if (dir != null) {
                v1.put(controller, dir);
              }
            }
          }
        }
      }
    }
    return new CgroupMounts(v1, v2);
  }

  /**
   * The directory of cgroup {@code path} in a hierarchy whose {@code root} is mounted at {@code
   * mountPoint}; null when the cgroup is outside the part mounted.
   */
  private static Path under(Path mountPoint, String root, String path) {
    if (root.equals("/")) {
      return mountPoint.resolve(path.substring(1));
    }
    if (path.equals(root)) {
      return mountPoint;
    }
    if (path.startsWith(root + "/")) {
      return mountPoint.resolve(path.substring(root.length() + 1));
    }
    return null;
  }

  /** mountinfo writes space, tab, newline and backslash as octal escapes ({@code \040}). */
  private static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder s = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length()) {
        s.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        s.append(c);
      }
    }
    return s.toString();
  }
}
