// Reference answers from Maven's own maven-artifact (ComparableVersion, VersionRange), per
// line:  cmp<TAB>A<TAB>B -> "<", "=", ">";  sat<TAB>V<TAB>RANGE -> "true", "false" or
// "invalid". Compiled at test time against /usr/share/maven/lib/maven-artifact-3.x.jar.
// Usage: java -cp DIR:JAR MavenReference INPUT OUTPUT
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.apache.maven.artifact.versioning.ComparableVersion;
import org.apache.maven.artifact.versioning.DefaultArtifactVersion;
import org.apache.maven.artifact.versioning.VersionRange;

public class MavenReference {
  public static void main(String[] args) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8)) {
      if (line.isEmpty()) continue;
      String[] f = line.split("\t", -1);
      try {
        if (f[0].equals("cmp")) {
          int c = new ComparableVersion(f[1]).compareTo(new ComparableVersion(f[2]));
          out.add(c < 0 ? "<" : c > 0 ? ">" : "=");
        } else {
          VersionRange r = VersionRange.createFromVersionSpec(f[2]);
          out.add(r.containsVersion(new DefaultArtifactVersion(f[1])) ? "true" : "false");
        }
      } catch (Exception e) {
        out.add("invalid");
      }
    }
    Files.write(Paths.get(args[1]), out, StandardCharsets.UTF_8);
  }
}
