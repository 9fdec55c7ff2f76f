package io.sparsefit.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Runs the README's walkthrough: reads the ```bash blocks of its "## Walkthrough" section and performs
 * each curl command over real HTTP. Understands exactly the shapes the README uses (and fails on any
 * other, so the README cannot drift into commands the test does not run): {@code VAR=$(curl ... | jq -r .field)},
 * {@code curl ... [| jq ...]}, {@code until curl ... | jq -e ...; do sleep 1; done}, heredoc bodies
 * ({@code --data-binary @- <<'EOF'}, with {@code $VAR} expansion when the delimiter is unquoted).
 */
public final class ReadmeWalkthrough {

    /** One command as written (continuations joined) and its heredoc body, if any. */
    public record Command(String line, String heredoc, boolean expandHeredoc) {
    }

    /** One performed request. */
    public record Exchange(Command command, String method, String url, String body, Http.Answer answer) {
    }

    private static final Pattern HEREDOC = Pattern.compile("<<(')?EOF(')?");
    private static final Pattern ASSIGN = Pattern.compile("^([A-Z_]+)=\\$\\((.*)\\)$", Pattern.DOTALL);
    private static final String README_BASE = "http://localhost:8080";

    private final Http http;
    private final Map<String, String> vars = new LinkedHashMap<>();
    private final List<Exchange> exchanges = new ArrayList<>();

    public ReadmeWalkthrough(Http http) {
        this.http = http;
    }

    public static String readme() {
        try {
            return Files.readString(Path.of("README.md"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The commands of the walkthrough section, in order. */
    public static List<Command> commands(String readme) {
        int start = readme.indexOf("## Walkthrough");
        if (start < 0) {
            throw new AssertionError("README has no '## Walkthrough' section");
        }
        int end = readme.indexOf("\n## ", start + 5);
        String section = end < 0 ? readme.substring(start) : readme.substring(start, end);
        Matcher blocks = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(section);
        List<Command> commands = new ArrayList<>();
        while (blocks.find()) {
            String[] lines = blocks.group(1).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.isBlank() || line.trim().startsWith("#")) {
                    continue;
                }
                while (line.endsWith("\\")) {
                    line = line.substring(0, line.length() - 1) + " " + lines[++i].trim();
                }
                String heredoc = null;
                boolean expand = false;
                Matcher h = HEREDOC.matcher(line);
                if (h.find()) {
                    expand = h.group(1) == null;
                    StringBuilder body = new StringBuilder();
                    while (!lines[++i].equals("EOF")) {
                        body.append(lines[i]).append('\n');
                    }
                    heredoc = body.toString();
                    line = (line.substring(0, h.start()) + line.substring(h.end())).replaceAll("\\s+", " ").trim();
                    if (i + 1 < lines.length && lines[i + 1].trim().equals(")")) {
                        line = line + ")";
                        i++;
                    }
                }
                commands.add(new Command(line.trim(), heredoc, expand));
            }
        }
        return commands;
    }

    /** Runs every command; each request must answer 2xx. */
    public void run(List<Command> commands) {
        for (Command c : commands) {
            String text = c.line();
            Matcher assign = ASSIGN.matcher(text);
            if (text.startsWith("until ")) {
                String curl = text.substring("until ".length(), text.indexOf(" | jq"));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (true) {
                    Exchange e = curl(c, curl);
                    String state = e.answer().json().get("state").asString();
                    if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("README poll never finished: " + text);
                    }
                    Http.sleep(100);
                }
            } else if (assign.matches()) {
                String inner = assign.group(2);
                int jq = inner.indexOf(" | jq -r ");
                if (jq < 0) {
                    throw new AssertionError("unsupported README assignment: " + text);
                }
                Exchange e = curl(c, inner.substring(0, jq));
                String field = inner.substring(jq + " | jq -r ".length()).trim();
                if (!field.matches("(\\.[A-Za-z]+)+")) {
                    throw new AssertionError("unsupported jq filter in README: " + field);
                }
                JsonNode value = e.answer().json();
                for (String name : field.substring(1).split("\\.")) {
                    value = value == null ? null : value.get(name);
                }
                if (value == null || value.isNull()) {
                    throw new AssertionError("README step gave no " + field + ": " + e.answer().body());
                }
                vars.put(assign.group(1), value.asString());
            } else if (text.startsWith("curl ")) {
                int jq = text.indexOf(" | jq");
                curl(c, jq < 0 ? text : text.substring(0, jq));
            } else {
                throw new AssertionError("unsupported README command (extend ReadmeWalkthrough or change the README): " + text);
            }
        }
    }

    private Exchange curl(Command c, String curl) {
        List<String> words = words(curl);
        if (!words.get(0).equals("curl")) {
            throw new AssertionError("not a curl command: " + curl);
        }
        String method = null;
        String url = null;
        String body = null;
        String contentType = null;
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            switch (w) {
                case "-s", "-N", "-sN" -> { }
                case "-o" -> i++; // the answer is kept in the exchange instead of the file
                case "-X" -> method = words.get(++i);
                case "-H" -> {
                    String h = words.get(++i);
                    int colon = h.indexOf(':');
                    String name = h.substring(0, colon).trim();
                    String value = h.substring(colon + 1).trim();
                    if (name.equalsIgnoreCase("Content-Type")) {
                        contentType = value;
                    } else {
                        headers.put(name, value);
                    }
                }
                case "-d", "--data-binary" -> {
                    String data = words.get(++i);
                    if (data.equals("@-")) {
                        if (c.heredoc() == null) {
                            throw new AssertionError("@- without a heredoc: " + c.line());
                        }
                        data = c.expandHeredoc() ? expand(c.heredoc()) : c.heredoc();
                    }
                    body = data;
                }
                default -> {
                    if (w.startsWith(README_BASE)) {
                        url = http.base() + w.substring(README_BASE.length());
                    } else {
                        throw new AssertionError("unsupported curl word '" + w + "' in README: " + c.line());
                    }
                }
            }
        }
        if (url == null) {
            throw new AssertionError("no URL in README command: " + c.line());
        }
        if (method == null) {
            method = body == null ? "GET" : "POST";
        }
        Http.Answer answer = http.send(method, url, contentType, body, headers);
        if (answer.status() / 100 != 2) {
            throw new AssertionError("README command answered " + answer.status() + ": " + c.line() + "\n" + answer.body());
        }
        Exchange e = new Exchange(c, method, url, body, answer);
        exchanges.add(e);
        return e;
    }

    /** Shell words: single quotes literal, double quotes and bare words with $VAR expansion. */
    private List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\'') {
                int close = s.indexOf('\'', i + 1);
                cur.append(s, i + 1, close);
                i = close;
                inWord = true;
            } else if (ch == '"') {
                int close = s.indexOf('"', i + 1);
                cur.append(expand(s.substring(i + 1, close)));
                i = close;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else if (ch == '$') {
                int j = i + 1;
                while (j < s.length() && (Character.isUpperCase(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                cur.append(var(s.substring(i + 1, j)));
                i = j - 1;
                inWord = true;
            } else {
                cur.append(ch);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }

    private String expand(String s) {
        Matcher m = Pattern.compile("\\$([A-Z_]+)").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(var(m.group(1))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private String var(String name) {
        String v = vars.get(name);
        if (v == null) {
            throw new AssertionError("README uses $" + name + " before setting it");
        }
        return v;
    }

    public Map<String, String> vars() {
        return vars;
    }

    public List<Exchange> exchanges() {
        return exchanges;
    }

    /** The first exchange whose method is {@code method} and whose URL ends with {@code suffix}. */
    public Exchange find(String method, String suffix) {
        return exchanges.stream().filter(e -> e.method().equals(method) && e.url().endsWith(suffix)).findFirst()
                .orElseThrow(() -> new AssertionError("the README walkthrough has no " + method + " ..." + suffix));
    }
}
