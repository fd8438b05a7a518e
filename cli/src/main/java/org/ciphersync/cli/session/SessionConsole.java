package org.ciphersync.cli.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ciphersync.cli.CliException;
import org.ciphersync.cli.ExitCode;
import org.ciphersync.cli.output.JsonEvents;
import org.ciphersync.core.inventory.Skipped;
import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.session.JoinRefusedException;
import org.ciphersync.session.RunInProgressException;
import org.ciphersync.session.SessionException;
import org.ciphersync.session.client.PlanChoice;
import org.ciphersync.session.client.Preset;
import org.ciphersync.session.client.SessionClient;
import org.ciphersync.session.client.SessionEvent;
import org.ciphersync.session.client.SessionOptions;
import org.ciphersync.session.client.SessionView;
import org.ciphersync.session.link.RelayConnector;
import org.ciphersync.session.member.MemberInfo;
import org.ciphersync.session.member.SourceEntry;
import org.ciphersync.session.profile.Profile;
import picocli.CommandLine;

/**
 * The terminal side of a session member: prints the session details and the live member list (text
 * or {@code --json} events) and reads the member's commands from standard input until the session
 * ends for this member. End of input does not leave: the member keeps following the session (so a
 * script can pipe only the password); Ctrl-C leaves.
 */
final class SessionConsole {
    private static final String HELP = """
            commands:
              members                      show the member list
              add PATH                     add a directory or file of this machine as a data source
              remove PATH                  remove one of your data sources
              status TEXT                  set your status label (visible to the relay: nothing secret)
              fingerprints                 show every member's identity fingerprint
              settings KEY=VALUE...        (leader) items=files|dirs|both matching=path|name case=auto|sensitive|insensitive
                                           analysis=smart|checksum hidden=on|off system=on|off exclude=GLOB,GLOB include=GLOB,GLOB
              inventory                    (leader) start the Data Inventory
              compare                      show the comparison of the last inventory
              sync [mirror|update|two-way] (leader) start the Data Synchronization with a preset (default mirror)
              sync rules FILE              (leader) ... with a rules file (rules and targeted actions, as 'local --rules';
                                           nodes are named as in the comparison: A1, B1, B2…)
              sync ... --force             (leader) ... without the safety guards against mass deletes and empty folders
              restart                      (leader) reset inventory, comparison and plan; keep members and sources
              exit                         leave the session (asks to confirm while a run is in progress)""";

    private final CommandLine.Model.CommandSpec spec;
    private final CommonSessionOptions common;
    private final PrintWriter out;
    private final JsonEvents json;
    private Profile profile;
    private volatile String lastMembers = "";
    private volatile SessionClient client;
    private volatile java.util.concurrent.CompletableFuture<Boolean> pendingApproval;
    private volatile boolean inputClosed;
    /** Set when a synchronization run finished: the leader of that run; when it leaves, a follower leaves too. */
    private volatile int finishedRunLeader;
    boolean followLeader;

    SessionConsole(CommandLine.Model.CommandSpec spec, CommonSessionOptions common) {
        this.spec = spec;
        this.common = common;
        this.out = spec.commandLine().getOut();
        this.json = common.json ? new JsonEvents(out) : null;
        if (common.timeoutSeconds < 1 || common.timeoutSeconds > 3600) {
            throw new CliException(ExitCode.USAGE, "--timeout must be within 1..3600 seconds, got " + common.timeoutSeconds);
        }
    }

    Duration timeout() {
        return Duration.ofSeconds(common.timeoutSeconds);
    }

    URI parseRelay(String text) {
        try {
            return RelayConnector.parseRelayUri(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
    }

    SessionOptions options(RelayConnector connector) {
        if (profile == null) {
            Path dir = common.profile != null ? common.profile : Profile.defaultDirectory(System.getenv());
            try {
                profile = Profile.loadOrCreate(dir, common.machine, common.email, new SecureRandom());
            } catch (SessionException e) {
                throw new CliException(ExitCode.IO, e.getMessage(), e);
            }
        }
        List<SourceEntry> sources = new ArrayList<>();
        for (Path p : common.sources) {
            sources.add(source(p));
        }
        SessionOptions o = SessionOptions.of(connector, profile).withSources(sources).withTimeout(timeout()).withListener(this::onEvent);
        return common.confirmChanges ? o.withApproval(this::approve) : o;
    }

    static SourceEntry source(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            return SourceEntry.directory(abs.toString());
        }
        if (Files.isRegularFile(abs)) {
            return SourceEntry.file(abs.toString());
        }
        throw new CliException(ExitCode.USAGE, "source " + abs + " is neither a directory nor a file on this machine");
    }

    // ------------------------------------------------------------------ announcements

    void announceCreated(SessionClient c, String relayForOthers, boolean embedded) {
        this.client = c;
        try (Password pw = c.password()) {
            String password = new String(pw.expose());
            if (json != null) {
                json.event("session").put("sessionId", c.sessionId().toString()).put("password", password)
                        .put("relay", relayForOthers).put("embeddedRelay", embedded).put("memberId", c.memberId())
                        .put("fingerprint", profile.fingerprint().text()).emit();
            } else {
                out.println("Session ID:       " + c.sessionId());
                out.println("Session password: " + password);
                out.println((embedded ? "Relay (running here): " : "Relay: ") + relayForOthers);
                out.println("Others join with:  ciphersync session join " + c.sessionId() + " --relay " + relayForOthers);
                out.println("Your fingerprint: " + profile.fingerprint().text() + "   (type 'help' for commands)");
                out.flush();
            }
        }
        printMembers(c.view());
    }

    void announceJoined(SessionClient c) {
        this.client = c;
        if (json != null) {
            json.event("joined").put("sessionId", c.sessionId().toString()).put("memberId", c.memberId())
                    .put("fingerprint", profile.fingerprint().text()).emit();
        } else {
            out.println("Joined session " + c.sessionId() + " (your fingerprint " + profile.fingerprint().text()
                    + "; type 'help' for commands)");
            out.flush();
        }
        printMembers(c.view());
    }

    void refused(JoinRefusedException e, boolean willRetry) {
        if (json != null) {
            json.event("joinRefused").put("message", e.getMessage()).put("retryAfterMillis", e.retryAfter().toMillis())
                    .put("retrying", willRetry).emit();
        } else {
            spec.commandLine().getErr().println("ciphersync: " + e.getMessage() + (willRetry ? " — try again." : ""));
            spec.commandLine().getErr().flush();
        }
    }

    // ------------------------------------------------------------------ running

    /** Follows the session until this member is out of it; returns the exit code. */
    int run(SessionClient c) throws InterruptedException {
        this.client = c;
        CountDownLatch over = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            c.close();
            over.countDown();
        }, "session-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread input = Thread.ofPlatform().daemon().name("session-input").start(() -> readCommands(c));
        while (c.active()) {
            if (over.await(200, TimeUnit.MILLISECONDS)) {
                break;
            }
        }
        input.interrupt();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        c.close();
        String reason = c.endReason();
        if (json != null) {
            json.event("ended").put("reason", reason).emit();
        } else {
            out.println("Session over for this machine: " + reason);
            out.flush();
        }
        if (reason != null && reason.contains("lost")) {
            return ExitCode.UNAVAILABLE.code();
        }
        return c.syncFailures().isEmpty() && c.syncProblem() == null ? ExitCode.OK.code() : ExitCode.PARTIAL.code();
    }

    private void readCommands(SessionClient c) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            String line;
            boolean confirmExit = false;
            while (c.active() && (line = in.readLine()) != null) {
                line = line.strip();
                java.util.concurrent.CompletableFuture<Boolean> question = pendingApproval;
                if (question != null) {
                    question.complete(line.equalsIgnoreCase("y") || line.equalsIgnoreCase("yes"));
                    continue;
                }
                if (line.isEmpty()) {
                    continue;
                }
                if (confirmExit) {
                    confirmExit = false;
                    if (line.equalsIgnoreCase("y") || line.equalsIgnoreCase("yes")) {
                        c.leave(true);
                        return;
                    }
                    say("staying in the session");
                    continue;
                }
                try {
                    if (execute(c, line)) {
                        return;
                    }
                } catch (RunInProgressException e) {
                    say(e.getMessage() + " Leave anyway? [y/N]");
                    confirmExit = true;
                } catch (SessionException | IllegalArgumentException | CliException e) {
                    say("refused: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            // input closed: keep following the session
        } catch (SessionException e) {
            say("refused: " + e.getMessage());
        } finally {
            inputClosed = true;
            java.util.concurrent.CompletableFuture<Boolean> question = pendingApproval;
            if (question != null) {
                question.complete(false);
            }
        }
    }

    /** Asks the person (on standard input) whether the synchronization may delete or overwrite these items. */
    private java.util.Set<org.ciphersync.core.plan.PlannedAction> approve(List<org.ciphersync.core.plan.PlannedAction> destructive) {
        StringBuilder sb = new StringBuilder("The synchronization wants to change existing items on this machine:\n");
        for (org.ciphersync.core.plan.PlannedAction a : destructive) {
            sb.append("  ").append(a.type().name().toLowerCase(Locale.ROOT).replace('_', ' ')).append("  ")
                    .append(a.targetNode()).append(':').append(a.targetPath()).append('\n');
        }
        if (json != null) {
            json.event("confirm").put("items", destructive.stream().map(a -> a.type() + " " + a.targetNode() + ":" + a.targetPath()).toList())
                    .put("question", "allow? y/N").emit();
        } else {
            say(sb + "Allow these " + destructive.size() + " change(s)? [y/N]");
        }
        if (inputClosed) {
            return java.util.Set.of();
        }
        java.util.concurrent.CompletableFuture<Boolean> q = new java.util.concurrent.CompletableFuture<>();
        pendingApproval = q;
        try {
            return q.get(5, TimeUnit.MINUTES) ? java.util.Set.copyOf(destructive) : java.util.Set.of();
        } catch (Exception e) {
            return java.util.Set.of();
        } finally {
            pendingApproval = null;
        }
    }

    /** Runs one command line; true when the member left. */
    private boolean execute(SessionClient c, String line) throws SessionException {
        String[] parts = line.split("\\s+", 2);
        String arg = parts.length > 1 ? parts[1] : "";
        switch (parts[0].toLowerCase(Locale.ROOT)) {
            case "help", "?" -> say(HELP);
            case "members", "list" -> {
                lastMembers = "";
                printMembers(c.view());
            }
            case "add" -> c.addSource(source(Path.of(requireArg(arg, "add PATH"))));
            case "remove", "rm" -> c.removeSource(findSource(c, requireArg(arg, "remove PATH")));
            case "status" -> c.setStatus(requireArg(arg, "status TEXT"));
            case "fingerprints" -> c.view().members().forEach(m -> say(m.letter() + "  " + m.machineName() + "  "
                    + (m.fingerprint() == null ? "(not authenticated yet)" : m.fingerprint())));
            case "settings" -> c.changeSettings(parseSettings(c.view().settings(), arg));
            case "inventory" -> c.startInventory();
            case "sync" -> {
                String a = arg.strip();
                boolean force = a.equals("--force") || a.endsWith(" --force");
                c.startSynchronization(planChoice(force ? a.substring(0, a.length() - "--force".length()).strip() : a), force);
            }
            case "compare" -> printComparison(c);
            case "restart" -> c.restart();
            case "exit", "quit", "leave" -> {
                c.leave(false);
                return true;
            }
            default -> say("unknown command '" + parts[0] + "' (type 'help')");
        }
        return false;
    }

    private static PlanChoice planChoice(String arg) {
        if (arg.isEmpty()) {
            return PlanChoice.of(Preset.MIRROR);
        }
        String[] w = arg.split("\\s+", 2);
        if (w[0].equalsIgnoreCase("rules")) {
            return rulesFile(Path.of(requireArg(w.length > 1 ? w[1] : "", "sync rules FILE")));
        }
        return PlanChoice.of(preset(arg));
    }

    /**
     * Reads a rules file and checks it with the engine's parser (the one {@code local --rules} uses).
     *
     * @throws IllegalArgumentException naming the file and the problem
     */
    static PlanChoice rulesFile(Path file) {
        byte[] json;
        try {
            if (Files.size(file) > PlanChoice.MAX_RULES_BYTES) {
                throw new IllegalArgumentException("rules file " + file + " is larger than the " + PlanChoice.MAX_RULES_BYTES
                        + " bytes a session carries");
            }
            json = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the rules file " + file + ": " + e.getMessage(), e);
        }
        return PlanChoice.rules(json, "rules file " + file);
    }

    static Preset preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mirror" -> Preset.MIRROR;
            case "update" -> Preset.UPDATE;
            case "two-way", "twoway", "two_way" -> Preset.TWO_WAY;
            default -> throw new IllegalArgumentException("preset must be mirror, update or two-way, not " + name);
        };
    }

    private void printComparison(SessionClient c) {
        java.util.Optional<org.ciphersync.core.compare.Comparison> cmp = c.comparison();
        if (cmp.isEmpty()) {
            say(c.inventoryProblem() != null ? c.inventoryProblem() : "no comparison yet: the leader starts the inventory ('inventory')");
            return;
        }
        StringBuilder sb = new StringBuilder("Comparison (" + String.join(" ", cmp.get().nodeIds()) + "):\n");
        for (org.ciphersync.core.compare.ComparisonRow r : cmp.get().rows()) {
            sb.append("  ").append(r.status()).append("  ").append(r.path()).append("  ");
            for (org.ciphersync.core.compare.Cell cell : r.cells()) {
                sb.append(cell.nodeId()).append(cell.present() ? ":" + cell.groupLabel() + " " : ":- ");
            }
            sb.append('\n');
        }
        say(sb.toString().stripTrailing());
    }

    /**
     * The leader's non-interactive run: waits for {@code members} members in all, inventories, plans
     * with {@code preset}, synchronizes and ends the session. Exit 0 only when every item succeeded; 3 when the
     * plan is refused (by the consistency checker or, unless {@code force}, by the safety guards).
     */
    int runScripted(SessionClient c, int members, PlanChoice plan, boolean force, Duration patience) throws InterruptedException {
        this.client = c;
        try {
            c.await(v -> v.members().size() >= members && v.members().stream().allMatch(MemberInfo::authenticated), patience);
            c.startInventory();
            c.await(v -> c.comparison().isPresent() || c.inventoryProblem() != null, patience);
            if (c.inventoryProblem() != null) {
                event("failed", "message", c.inventoryProblem());
                c.leave(true);
                return ExitCode.REFUSED.code();
            }
            c.startSynchronization(plan, force);
            c.await(v -> c.syncComplete(), patience);
        } catch (org.ciphersync.session.PlanRefusedException e) {
            event("failed", "message", e.getMessage() + " (nothing was changed)");
            c.close();
            return ExitCode.REFUSED.code();
        } catch (SessionException e) {
            event("failed", "message", e.getMessage());
            c.close();
            return ExitCode.UNAVAILABLE.code();
        }
        List<org.ciphersync.session.client.MemberSyncResult> results = c.syncResults();
        int failed = results.stream().mapToInt(org.ciphersync.session.client.MemberSyncResult::failed).sum();
        int ok = results.stream().mapToInt(org.ciphersync.session.client.MemberSyncResult::succeeded).sum();
        // entries a member's scan could not read (not the links and special files left out by policy):
        // not synchronized, so the run is not complete, as for `local`
        List<String> leftOut = new ArrayList<>();
        c.comparison().ifPresent(cmp -> cmp.skipped().forEach((node, list) -> list.stream().filter(Skipped::isProblem)
                .forEach(s -> leftOut.add(node + ": " + s.path() + " (" + s.describe() + ")"))));
        if (json != null) {
            json.event("synchronized").put("succeeded", ok).put("failed", failed).put("leftOut", leftOut)
                    .put("members", resultsJson(results)).put("problem", c.syncProblem()).emit();
        } else {
            say("Synchronization finished: " + ok + " item(s) done, " + failed + " failed"
                    + (c.syncProblem() == null ? "" : " (" + c.syncProblem() + ")") + describeFailures(results)
                    + (leftOut.isEmpty() ? "" : "; not synchronized (left out by the scan): " + String.join(", ", leftOut)));
        }
        c.close();
        if (json != null) {
            json.event("ended").put("reason", c.endReason()).emit();
        }
        return failed == 0 && leftOut.isEmpty() && c.syncProblem() == null ? ExitCode.OK.code() : ExitCode.PARTIAL.code();
    }

    /** Each member's result for {@code --json}, with every failed item it listed and its reason. */
    private static List<Map<String, Object>> resultsJson(List<org.ciphersync.session.client.MemberSyncResult> results) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (org.ciphersync.session.client.MemberSyncResult r : results) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("memberId", r.memberId());
            o.put("succeeded", r.succeeded());
            o.put("failed", r.failed());
            o.put("failures", r.failures().stream().map(f -> Map.of("node", f.node(), "path", f.path(), "reason", f.reason())).toList());
            if (r.departed() != null) {
                o.put("departed", r.departed());
            }
            list.add(o);
        }
        return list;
    }

    /** The failed items, one per line, for the terminal. */
    private static String describeFailures(List<org.ciphersync.session.client.MemberSyncResult> results) {
        StringBuilder sb = new StringBuilder();
        for (org.ciphersync.session.client.MemberSyncResult r : results) {
            if (r.departed() != null) {
                sb.append("\n  ").append(r.departed());
            }
            for (org.ciphersync.session.wire.GroupMessage.ItemFailure f : r.failures()) {
                sb.append("\n  failed: ").append(f.node()).append(':').append(f.path()).append(" — ").append(f.reason());
            }
            if (!r.complete() && r.departed() == null) {
                sb.append("\n  (member ").append(r.memberId()).append(" listed only part of its failures)");
            }
        }
        return sb.toString();
    }

    private void event(String name, String key, Object value) {
        if (json != null) {
            json.event(name).put(key, value).emit();
        } else {
            say(String.valueOf(value));
        }
    }

    private static String requireArg(String arg, String usage) {
        if (arg.isBlank()) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return arg.strip();
    }

    private static SourceEntry findSource(SessionClient c, String path) {
        String abs = Path.of(path).toAbsolutePath().normalize().toString();
        return c.view().self().orElseThrow().sources().stream()
                .filter(s -> s.path().equals(abs) || s.path().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + path + "' is not one of your sources"));
    }

    static SyncSettings parseSettings(SyncSettings current, String arg) {
        SyncSettings s = current;
        for (String kv : requireArg(arg, "settings KEY=VALUE...").split("\\s+")) {
            String[] p = kv.split("=", 2);
            if (p.length != 2) {
                throw new IllegalArgumentException("'" + kv + "' is not KEY=VALUE");
            }
            String v = p[1].toLowerCase(Locale.ROOT);
            s = switch (p[0].toLowerCase(Locale.ROOT)) {
                case "items" -> s.withItems(switch (v) {
                    case "files" -> SyncSettings.ItemKinds.FILES;
                    case "dirs", "directories" -> SyncSettings.ItemKinds.DIRECTORIES;
                    case "both" -> SyncSettings.ItemKinds.BOTH;
                    default -> throw new IllegalArgumentException("items must be files, dirs or both, not " + p[1]);
                });
                case "matching" -> s.withMatching(switch (v) {
                    case "path" -> SyncSettings.Matching.RELATIVE_PATH;
                    case "name" -> SyncSettings.Matching.NAME;
                    default -> throw new IllegalArgumentException("matching must be path or name, not " + p[1]);
                });
                case "case" -> s.withCaseSensitivity(switch (v) {
                    case "auto" -> SyncSettings.CaseSensitivity.AUTO;
                    case "sensitive" -> SyncSettings.CaseSensitivity.SENSITIVE;
                    case "insensitive" -> SyncSettings.CaseSensitivity.INSENSITIVE;
                    default -> throw new IllegalArgumentException("case must be auto, sensitive or insensitive, not " + p[1]);
                });
                case "analysis" -> s.withAnalysis(switch (v) {
                    case "smart", "size-date" -> SyncSettings.AnalysisMode.SMART;
                    case "checksum" -> SyncSettings.AnalysisMode.CHECKSUM;
                    default -> throw new IllegalArgumentException("analysis must be smart or checksum, not " + p[1]);
                });
                case "hidden" -> s.withExcludeHidden(onOff(v, "hidden"));
                case "system" -> new SyncSettings(s.items(), s.matching(), s.caseSensitivity(), s.analysis(), s.excludeHidden(),
                        onOff(v, "system"), s.includeGlobs(), s.excludeGlobs(), s.ignoreFileName());
                case "exclude" -> s.withExcludeGlobs(globs(p[1]));
                case "include" -> s.withIncludeGlobs(globs(p[1]));
                default -> throw new IllegalArgumentException("unknown setting '" + p[0] + "' (type 'help')");
            };
        }
        return s;
    }

    private static boolean onOff(String v, String key) {
        return switch (v) {
            case "on", "yes", "true", "exclude" -> true;
            case "off", "no", "false", "include" -> false;
            default -> throw new IllegalArgumentException(key + " must be on or off, not " + v);
        };
    }

    private static List<String> globs(String v) {
        return v.isBlank() ? List.of() : Arrays.stream(v.split(",")).map(String::strip).filter(g -> !g.isEmpty()).toList();
    }

    // ------------------------------------------------------------------ events

    private void onEvent(SessionEvent e) {
        switch (e) {
            case SessionEvent.MembersChanged m -> {
                printMembers(m.view());
                int leader = finishedRunLeader;
                if (followLeader && leader != 0 && m.view().members().stream().noneMatch(x -> x.memberId() == leader)) {
                    Thread.ofPlatform().daemon().start(() -> {
                        SessionClient c = client;
                        if (c != null) {
                            c.close(); // the leader ended its run and left: so does a follower
                        }
                    });
                }
            }
            case SessionEvent.SynchronizationFinished f -> {
                SessionClient c = client;
                finishedRunLeader = c == null ? 0 : c.view().members().stream().filter(MemberInfo::leader)
                        .mapToInt(MemberInfo::memberId).findFirst().orElse(0);
                if (json != null) {
                    json.event("synchronized").put("members", resultsJson(f.results())).emit();
                } else {
                    say("Synchronization finished: " + f.results().stream().mapToInt(org.ciphersync.session.client.MemberSyncResult::succeeded).sum()
                            + " item(s) done, " + f.results().stream().mapToInt(org.ciphersync.session.client.MemberSyncResult::failed).sum()
                            + " failed" + describeFailures(f.results()));
                }
            }
            case SessionEvent.ItemReceived r -> {
                if (json != null) {
                    json.event("received").put("node", r.node()).put("path", r.path()).put("fetched", r.fetched())
                            .put("reused", r.reused()).emit();
                }
            }
            case SessionEvent.RunTakenOver t -> {
                if (json != null) {
                    json.event("runTakenOver").put("oldMemberId", t.oldMember()).emit();
                } else {
                    say("Rejoined the running synchronization: carrying on where this machine stopped.");
                }
            }
            case SessionEvent.ComparisonReady r -> {
                if (json != null) {
                    json.event("comparison").put("nodes", r.comparison().nodeIds()).put("rows", r.comparison().rows().size()).emit();
                } else {
                    say("Comparison ready: " + r.comparison().rows().size() + " item(s) on " + r.comparison().nodeIds()
                            + " (type 'compare')");
                }
            }
            case SessionEvent.InventoryFailed x -> {
                if (json != null) {
                    json.event("inventoryFailed").put("message", x.message()).emit();
                } else {
                    say("Inventory: " + x.message());
                }
            }
            case SessionEvent.SettingsChanged s -> {
                if (json != null) {
                    json.event("settings").put("settings", s.settings().toString()).emit();
                } else {
                    say("Session Settings: " + s.settings());
                }
            }
            case SessionEvent.OrderCarriedOut o -> {
                if (json != null) {
                    json.event("order").put("kind", o.kind().name()).emit();
                } else {
                    say("The leader ordered: " + o.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '));
                }
            }
            case SessionEvent.KeyRotated k -> {
                if (json != null) {
                    json.event("keyRotated").put("epoch", k.epoch()).emit();
                }
            }
            case SessionEvent.SecurityAlert a -> {
                if (json != null) {
                    json.event("alert").put("message", a.message()).emit();
                } else {
                    say("SECURITY ALERT: " + a.message());
                }
            }
            case SessionEvent.Refused r -> {
                if (json != null) {
                    json.event("refused").put("message", r.message()).emit();
                } else {
                    say(r.message());
                }
            }
            case SessionEvent.ConnectionLost l -> {
                if (json != null) {
                    json.event("connectionLost").emit();
                } else {
                    say("Connection to the relay lost; taking our place back…");
                }
            }
            case SessionEvent.Resumed r -> {
                if (json != null) {
                    json.event("resumed").emit();
                } else {
                    say("Connection back.");
                }
            }
            case SessionEvent.Ended x -> {
                // reported once by run()
            }
        }
    }

    private void printMembers(SessionView v) {
        StringBuilder key = new StringBuilder();
        for (MemberInfo m : v.members()) {
            key.append(m).append('|');
        }
        String k = key.toString();
        if (k.equals(lastMembers)) {
            return;
        }
        lastMembers = k;
        if (json != null) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (MemberInfo m : v.members()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("letter", String.valueOf(m.letter()));
                o.put("memberId", m.memberId());
                o.put("machine", m.machineName());
                o.put("email", m.emailLabel());
                o.put("ip", m.publicIp());
                o.put("status", m.status());
                o.put("online", m.online());
                o.put("thisComputer", m.thisComputer());
                o.put("fingerprint", m.fingerprint());
                o.put("sources", m.sources().stream().map(SourceEntry::toString).toList());
                list.add(o);
            }
            json.event("members").put("keyEpoch", v.keyEpoch()).put("members", list).emit();
            return;
        }
        StringBuilder sb = new StringBuilder("Members:\n");
        for (MemberInfo m : v.members()) {
            sb.append(m.thisComputer() ? " *" : "  ").append(m.letter()).append("  ").append(m.description());
            if (!m.emailLabel().isEmpty()) {
                sb.append("  <").append(m.emailLabel()).append('>');
            }
            sb.append(m.online() ? "" : "  [offline]").append(m.status().isEmpty() ? "" : "  status: " + m.status()).append('\n');
            for (SourceEntry s : m.sources()) {
                sb.append("       ").append(s).append('\n');
            }
        }
        say(sb.toString().stripTrailing());
    }

    private void say(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }
}
