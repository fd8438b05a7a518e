package org.ciphersync.relay.server.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ciphersync.relay.protocol.client.RelayClient;
import org.ciphersync.relay.protocol.message.MemberProfile;
import org.ciphersync.relay.protocol.message.Message;

/**
 * Measures the figures the relay issue asks for, against a relay in a separate JVM ({@link MeasuredRelay})
 * so client memory and CPU do not pollute the numbers. Not a test (no assertions on timing); run with
 * {@code java -cp <test class path> org.ciphersync.relay.server.bench.RelayMeasurements [sessions]}.
 *
 * <ol>
 *   <li>create and join latency on loopback, median and p95 over 100 runs;</li>
 *   <li>relay heap per idle session (each with its leader's live WebSocket) over N sessions (default 10,000),
 *       and per extra bare connection;</li>
 *   <li>relay CPU time per 1,000 control messages (200-byte DATA broadcast from A to B and C).</li>
 * </ol>
 */
public final class RelayMeasurements {

    private static final Duration W = Duration.ofSeconds(30);

    private RelayMeasurements() {
    }

    private static Process relay;
    private static BufferedReader out;
    private static PrintWriter in;

    private static String ask(String cmd, String prefix) throws Exception {
        in.println(cmd);
        in.flush();
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).strip();
            }
        }
        throw new IllegalStateException("relay process ended");
    }

    static MemberProfile profile(String name) {
        return new MemberProfile(name, name + "@example.org", new byte[32]);
    }

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String cp = System.getProperty("java.class.path");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        relay = new ProcessBuilder(java, "-Xmx1g", "-Dorg.slf4j.simpleLogger.log.org.ciphersync=warn", "-cp", cp,
                MeasuredRelay.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(relay.getOutputStream(), true, StandardCharsets.UTF_8);
        int port = Integer.parseInt(out.readLine().substring("PORT ".length()));
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        HttpClient http = HttpClient.newBuilder().connectTimeout(W).build();
        try {
            latency(uri, http);
            cpu(uri, http);
            memory(uri, http, sessions);
        } finally {
            in.println("quit");
            relay.waitFor();
        }
        System.exit(0);
    }

    static void latency(URI uri, HttpClient http) throws Exception {
        int runs = 100;
        long[] connect = new long[runs];
        long[] create = new long[runs];
        long[] join = new long[runs];
        for (int i = 0; i < runs + 20; i++) { // 20 warm-up rounds
            long t0 = System.nanoTime();
            RelayClient a = RelayClient.connect(uri, W, http);
            long t1 = System.nanoTime();
            try {
                a.send(new Message.CreateSession(profile("a")));
                a.await(Message.Welcome.class, W);
            } catch (org.ciphersync.relay.protocol.client.RelayException e) {
                throw new IllegalStateException("round " + i + ": " + e.getMessage() + "; socket closed: " + a.closed().getNow(null), e);
            }
            long t2 = System.nanoTime();
            AtomicBoolean done = new AtomicBoolean();
            Thread sponsor = Thread.ofPlatform().start(() -> {
                try {
                    Message.JoinRequested jr = a.await(Message.JoinRequested.class, W);
                    a.send(new Message.Admit(jr.candidateId()));
                } catch (Exception e) {
                    if (!done.get()) {
                        e.printStackTrace();
                    }
                }
            });
            RelayClient b = RelayClient.connect(uri, W, http);
            long t3 = System.nanoTime();
            b.join(a.session(), profile("b"), new byte[64]);
            b.await(Message.Welcome.class, W);
            long t4 = System.nanoTime();
            done.set(true);
            sponsor.join();
            if (i >= 20) {
                connect[i - 20] = t1 - t0;
                create[i - 20] = t2 - t1;
                join[i - 20] = t4 - t3;
            }
            b.send(new Message.Leave());
            a.send(new Message.Leave());
            a.close();
            b.close();
        }
        System.out.printf("latency over %d runs (median / p95, ms): connect %s, create %s, join (request → admitted by sponsor → welcome) %s%n",
                runs, stats(connect), stats(create), stats(join));
    }

    static String stats(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("%.2f / %.2f", s[s.length / 2] / 1e6, s[(int) (s.length * 0.95)] / 1e6);
    }

    static void cpu(URI uri, HttpClient http) throws Exception {
        RelayClient a = RelayClient.connect(uri, W, http);
        a.send(new Message.CreateSession(profile("a")));
        a.await(Message.Welcome.class, W);
        List<RelayClient> readers = new ArrayList<>();
        for (String n : List.of("b", "c")) {
            RelayClient r = RelayClient.connect(uri, W, http);
            r.join(a.session(), profile(n), new byte[0]);
            a.send(new Message.Admit(a.await(Message.JoinRequested.class, W).candidateId()));
            r.await(Message.Welcome.class, W);
            readers.add(r);
        }
        int messages = 50_000;
        byte[] payload = new byte[200];
        for (int warm = 0; warm < 2; warm++) {
            long cpu0 = Long.parseLong(ask("cpu", "CPU"));
            long t0 = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                a.send(new Message.Data(List.of(), payload));
            }
            for (RelayClient r : readers) {
                int got = 0;
                while (got < messages) {
                    if (r.next(W) == null) {
                        throw new IllegalStateException("reader stalled at " + got);
                    }
                    got++;
                }
            }
            long wall = System.nanoTime() - t0;
            long cpu = Long.parseLong(ask("cpu", "CPU")) - cpu0;
            if (warm == 1) {
                System.out.printf("relay CPU per 1,000 control messages (200-byte DATA, each forwarded to 2 members): %.1f ms"
                        + " (%d messages in %.2f s wall, %.0f msg/s)%n", cpu / 1e6 / (messages / 1000.0), messages, wall / 1e9, messages / (wall / 1e9));
            }
        }
        a.close();
        readers.forEach(RelayClient::close);
    }

    static void memory(URI uri, HttpClient http, int sessions) throws Exception {
        Thread.sleep(500);
        long base = Long.parseLong(ask("heap", "HEAP"));
        List<RelayClient> clients = new ArrayList<>(sessions);
        long t0 = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            RelayClient c = RelayClient.connect(uri, W, http);
            c.send(new Message.CreateSession(profile("machine-" + i)));
            c.await(Message.Welcome.class, W);
            clients.add(c);
        }
        long created = System.nanoTime() - t0;
        long withSessions = Long.parseLong(ask("heap", "HEAP"));
        int bare = Math.max(100, sessions / 10);
        for (int i = 0; i < bare; i++) {
            clients.add(RelayClient.connect(uri, W, http));
        }
        Thread.sleep(500);
        long withBare = Long.parseLong(ask("heap", "HEAP"));
        double perSession = (withSessions - base) / (double) sessions;
        double perConnection = (withBare - withSessions) / (double) bare;
        System.out.printf("relay heap: baseline %.1f MiB; %d idle sessions (each with its leader's live WebSocket) +%.1f MiB"
                        + " = %.1f KiB per session incl. its connection; %d bare connections +%.1f MiB = %.1f KiB per connection;"
                        + " so about %.1f KiB per session without its connection. (%d sessions created in %.1f s)%n",
                base / 1048576.0, sessions, (withSessions - base) / 1048576.0, perSession / 1024, bare,
                (withBare - withSessions) / 1048576.0, perConnection / 1024, (perSession - perConnection) / 1024, sessions, created / 1e9);
        for (RelayClient c : clients) {
            c.abort();
        }
        Thread.sleep(3000); // let the relay see every close; the sessions stay (grace period 1 h)
        long orphaned = Long.parseLong(ask("heap", "HEAP"));
        System.out.printf("relay heap after dropping every connection (the %d sessions keep their offline member for the"
                + " grace period): +%.1f MiB over baseline = %.2f KiB per session without a connection%n",
                sessions, (orphaned - base) / 1048576.0, (orphaned - base) / (double) sessions / 1024);
    }
}
