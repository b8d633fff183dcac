package dev.osgimon.itests.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The documentation has no dead links: every relative Markdown link in the README and in
 * {@code docs/} names a file that exists, and every {@code docs/…} file named in a source file,
 * build file or configuration file exists too. The README stays short.
 */
class DocsLinksTest {

    private static final Path ROOT = Path.of(System.getProperty("osgimon.root", "..")).toAbsolutePath().normalize();
    private static final Pattern MD_LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern DOCS_MENTION = Pattern.compile("(?<![\\w/.-])docs/[\\w./-]*\\w");
    private static final Pattern SPEC_MENTION = Pattern.compile("SPEC §");

    @Test
    void everyRelativeMarkdownLinkResolves() throws IOException {
        List<String> dead = new ArrayList<>();
        for (Path md : markdownFiles()) {
            Matcher m = MD_LINK.matcher(Files.readString(md));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue; // external or in-page
                }
                String file = target.replaceAll("#.*$", "");
                if (!Files.exists(md.getParent().resolve(file).normalize())) {
                    dead.add(ROOT.relativize(md) + " -> " + target);
                }
            }
        }
        assertThat(dead).as("dead links").isEmpty();
    }

    @Test
    void everyDocsFileNamedInTheTreeExists() throws IOException {
        List<String> dead = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : (Iterable<Path>) files.filter(DocsLinksTest::isTextSource)::iterator) {
                String text = Files.readString(f);
                Matcher m = DOCS_MENTION.matcher(text);
                while (m.find()) {
                    if (!Files.exists(ROOT.resolve(m.group()))) {
                        dead.add(ROOT.relativize(f) + " -> " + m.group());
                    }
                }
                if (SPEC_MENTION.matcher(text).find()) {
                    dead.add(ROOT.relativize(f) + " -> a section of a specification outside the project");
                }
            }
        }
        assertThat(dead).as("files named but missing").isEmpty();
    }

    @Test
    void theReadmeStaysAQuickStart() throws IOException {
        assertThat(Files.readAllLines(ROOT.resolve("README.md"))).hasSizeLessThan(300);
    }

    private static List<Path> markdownFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(out::add);
        }
        return out;
    }

    private static boolean isTextSource(Path p) {
        String s = ROOT.relativize(p).toString();
        if (s.startsWith(".git") || s.contains("/target/") || s.startsWith("target/") || s.contains("node_modules")) {
            return false;
        }
        if (p.getFileName().toString().equals("DocsLinksTest.java")) {
            return false;
        }
        return Files.isRegularFile(p) && s.matches(".*\\.(java|md|xml|bnd|cfg|properties|sh|html|js|css)$")
                || s.equals(".ci/run") || s.endsWith("bin/osgimon");
    }

    static {
        if (!Files.isDirectory(ROOT.resolve("docs"))) {
            throw new UncheckedIOException(new IOException("no docs/ under " + ROOT));
        }
    }
}
