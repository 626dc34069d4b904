package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * No secret is committed: the tracked files hold no private key and no password or secret other than the local
 * servers' dev defaults. Credentials reach %prod from the environment (Kubernetes Secrets); the token signing key
 * of dev and tests is made per clone under the git-ignored infra/data.
 */
class RepositorySecretsTest {

    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN ([A-Z]+ )?PRIVATE KEY-----");
    /**
     * {@code password=value}, {@code "password": "value"}, {@code PASSWORD: value} and the like; group 3 is the
     * value, group 2 the quote before it (in Java source only a quoted literal counts: anything else is code).
     */
    private static final Pattern CREDENTIAL = Pattern.compile(
            "(?i)\\b[a-z_.-]*(password|passwd|secret|api[_-]?key)[a-z_.-]*[\"']?\\s*[:=]\\s*([\"']?)([^\\s\"',;)}]*)");
    /**
     * The local servers' well-known defaults: PostgreSQL role switchboard, RabbitMQ guest, and sa of the MySQL
     * and SQL Server datasources the registry build keeps from upstream but never starts; the example Secret's
     * change-me; an empty value (nothing to leak).
     */
    private static final Set<String> DEV_DEFAULTS = Set.of("switchboard", "guest", "sa", "change-me", "");

    @Test
    void trackedFiles_holdNoPrivateKey_andNoCredentialButTheDevDefaults() throws Exception {
        List<String> findings = new ArrayList<>();
        for (Path file : trackedFiles()) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (MalformedInputException binary) {
                continue;
            }
            if (PRIVATE_KEY.matcher(text).find()) {
                findings.add(file + ": a private key");
            }
            boolean code = file.toString().endsWith(".java");
            Matcher credential = CREDENTIAL.matcher(text);
            while (credential.find()) {
                String value = credential.group(3);
                if (code && credential.group(2).isEmpty()) {
                    continue;
                }
                if (!DEV_DEFAULTS.contains(value) && !placeholder(value)) {
                    findings.add(file + ": " + credential.group());
                }
            }
        }
        assertThat(findings).isEmpty();
    }

    /** A reference, not a value: ${VAR}, $VAR, ${VAR:+x}, {{x}}, <x>, %s, a YAML reference. */
    private static boolean placeholder(String value) {
        return value.matches("[$&*{<(\\[%+-].*");
    }

    private static List<Path> trackedFiles() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z").redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor()).as("git ls-files: " + out).isZero();
        List<Path> files = new ArrayList<>();
        for (String name : out.split("\0")) {
            Path path = Path.of(name);
            if (!name.isEmpty() && Files.isRegularFile(path)
                    && !path.endsWith(Path.of("RepositorySecretsTest.java"))) {
                files.add(path);
            }
        }
        return files;
    }
}
