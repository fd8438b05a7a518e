package org.ciphersync.vault.backend.sftp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Vector;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import com.jcraft.jsch.UnixDomainSocketFactory;
import org.ciphersync.vault.store.BlobInfo;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobReader;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.ByteRange;
import org.ciphersync.vault.store.Capabilities;
import org.ciphersync.vault.store.LoadStream;
import org.ciphersync.vault.store.SaveStream;
import org.ciphersync.vault.store.StoreException;

/**
 * A {@link BlobStore} on an SFTP server, over one SSH connection with a small pool of SFTP
 * channels (JSch).
 *
 * <p>Saves upload to {@code .<name>.tmp-<random>} in the target folder and rename it over the
 * final name; OpenSSH's {@code posix-rename@openssh.com} extension makes the replace atomic.
 * The connection is re-established on the next call after it breaks; such failures are
 * {@code TRANSIENT}. The host key is checked strictly against {@code known_hosts}.
 */
public final class SftpBlobStore implements BlobStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SftpConfig config;
    private final Capabilities capabilities;
    private final Semaphore slots;
    private final LinkedBlockingDeque<ChannelSftp> idle = new LinkedBlockingDeque<>();
    private Session session;
    private boolean closed;

    /** Creates the store; the connection is opened by the first operation. */
    public SftpBlobStore(SftpConfig config) {
        this.config = config;
        this.capabilities = new Capabilities(true, true, true, Long.MAX_VALUE, true, config.connections());
        this.slots = new Semaphore(config.connections(), true);
    }

    @Override
    public String location() {
        return config.location();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    // --- connection -------------------------------------------------------------------------

    private synchronized Session session() throws StoreException {
        if (closed) {
            throw StoreException.permanent(location() + " is closed", null);
        }
        if (session != null && session.isConnected()) {
            return session;
        }
        dropIdleChannels();
        JSch jsch = new JSch();
        Session s = null;
        try {
            jsch.setKnownHosts(config.knownHosts().toString());
            for (var key : config.identityFiles()) {
                if (!Files.isReadable(key)) {
                    throw StoreException.permanent("the SSH key file " + key + " cannot be read", null);
                }
                jsch.addIdentity(key.toString());
            }
            s = jsch.getSession(config.user(), config.host(), config.port());
            s.setIdentityRepository(identities(jsch.getIdentityRepository()));
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setConfig("PreferredAuthentications", "publickey");
            s.setTimeout((int) config.connectTimeout().toMillis());
            s.setServerAliveInterval(15_000);
            s.connect((int) config.connectTimeout().toMillis());
            session = s;
            return s;
        } catch (JSchException e) {
            throw classifyConnect(e, fingerprint(jsch, s));
        }
    }

    private IdentityRepository identities(IdentityRepository files) {
        if (!config.useAgent() || config.agentSocket().isEmpty()) {
            return files;
        }
        IdentityRepository agent;
        try {
            agent = new AgentIdentityRepository(new SSHAgentConnector(new UnixDomainSocketFactory(), config.agentSocket().get()));
        } catch (AgentProxyException e) {
            return files;
        }
        return new IdentityRepository() {
            @Override
            public String getName() {
                return "ssh-agent + key files";
            }

            @Override
            public int getStatus() {
                return RUNNING;
            }

            @Override
            public Vector<Identity> getIdentities() {
                Vector<Identity> all = new Vector<>();
                try {
                    all.addAll(agent.getIdentities());
                } catch (RuntimeException e) {
                    // agent unreachable: fall back to the key files
                }
                all.addAll(files.getIdentities());
                return all;
            }

            @Override
            public boolean add(byte[] identity) {
                return false;
            }

            @Override
            public boolean remove(byte[] blob) {
                return false;
            }

            @Override
            public void removeAll() {
                // read-only view
            }
        };
    }

    private static String fingerprint(JSch jsch, Session s) {
        try {
            return s == null || s.getHostKey() == null ? "" : " " + s.getHostKey().getType() + " key fingerprint "
                    + s.getHostKey().getFingerPrint(jsch);
        } catch (RuntimeException e) {
            return "";
        }
    }

    private StoreException classifyConnect(JSchException e, String fingerprint) {
        String message = String.valueOf(e.getMessage());
        String hostPort = config.port() == 22 ? config.host() : "[" + config.host() + "]:" + config.port();
        if (message.startsWith("UnknownHostKey") || message.startsWith("reject HostKey")) {
            return StoreException.permanent("the SSH host key of " + hostPort + " is not in " + config.knownHosts()
                    + ", so the connection was refused (server presented" + (fingerprint.isEmpty() ? " an unknown key" : fingerprint)
                    + "). Check the fingerprint with the server's "
                    + "administrator, then accept it by connecting once with: ssh -p " + config.port() + " "
                    + config.user() + "@" + config.host() + "   (or: ssh-keyscan -p " + config.port() + " " + config.host()
                    + " >> " + config.knownHosts() + ")", e);
        }
        if (message.startsWith("HostKey has been changed") || message.contains("has been changed")) {
            return StoreException.permanent("the SSH host key of " + hostPort + " differs from the one in " + config.knownHosts()
                    + ": someone may be intercepting the connection. If the server was reinstalled, remove the old key with: "
                    + "ssh-keygen -R '" + hostPort + "' -f " + config.knownHosts() + " and accept the new one", e);
        }
        if (message.contains("Auth fail") || message.contains("Auth cancel")) {
            return StoreException.permanent("the SSH server " + hostPort + " refused the keys of " + config.user()
                    + " (tried " + (config.useAgent() ? "the SSH agent and " : "") + "key files " + config.identityFiles()
                    + "). Add your key to the agent (ssh-add) or name it with the flag sftp.identity; encrypted keys must be in the agent", e);
        }
        Throwable cause = e.getCause();
        if (cause instanceof UnknownHostException) {
            return StoreException.permanent("the SSH host name " + config.host() + " is unknown; check the location", e);
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException || cause instanceof SocketTimeoutException
                || cause instanceof IOException || message.contains("timeout") || message.contains("closed by foreign host")
                || message.contains("Connection refused")) {
            return StoreException.transientFailure("cannot connect to the SSH server " + hostPort + ": " + message, e);
        }
        return StoreException.permanent("cannot open an SSH connection to " + hostPort + ": " + message, e);
    }

    private ChannelSftp acquire() throws StoreException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreException.permanent("interrupted while waiting for an SFTP channel to " + location(), e);
        }
        try {
            ChannelSftp channel;
            while ((channel = idle.poll()) != null) {
                if (alive(channel)) {
                    return channel;
                }
                channel.disconnect();
            }
            Session s = session();
            try {
                ChannelSftp fresh = (ChannelSftp) s.openChannel("sftp");
                if (fresh == null) {
                    // JSch returns null instead of throwing when the session dies while the channel opens
                    throw new JSchException("the SSH session closed while a channel was opened");
                }
                fresh.connect((int) config.connectTimeout().toMillis());
                return fresh;
            } catch (JSchException e) {
                synchronized (this) {
                    if (session == s) {
                        s.disconnect();
                        session = null;
                    }
                }
                throw StoreException.transientFailure("cannot open an SFTP channel to " + location() + ": " + e.getMessage()
                        + " (is the SFTP subsystem enabled on the server?)", e);
            }
        } catch (StoreException | RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    private static boolean alive(ChannelSftp channel) {
        try {
            return channel.isConnected() && !channel.isClosed() && channel.getSession().isConnected();
        } catch (JSchException e) {
            return false;
        }
    }

    private void release(ChannelSftp channel, boolean healthy) {
        if (healthy && channel.isConnected() && !closedNow()) {
            idle.offer(channel);
        } else {
            channel.disconnect();
        }
        slots.release();
    }

    private synchronized boolean closedNow() {
        return closed;
    }

    private void dropIdleChannels() {
        ChannelSftp channel;
        while ((channel = idle.poll()) != null) {
            channel.disconnect();
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run(ChannelSftp channel) throws IOException, SftpException;
    }

    private <T> T withChannel(String what, Call<T> call) throws IOException {
        ChannelSftp channel = acquire();
        boolean healthy = false;
        try {
            T result = call.run(channel);
            healthy = true;
            return result;
        } catch (SftpException e) {
            StoreException inner = StoreException.findIn(e);
            if (inner != null) {
                throw inner;
            }
            StoreException classified = classify(what, e, channel);
            healthy = !classified.isTransient();
            throw classified;
        } catch (StoreException e) {
            healthy = e.isPermanent() && channel.isConnected();
            throw e;
        } catch (IOException e) {
            StoreException inner = StoreException.findIn(e);
            if (inner != null) {
                throw inner;
            }
            throw e;
        } finally {
            release(channel, healthy);
        }
    }

    private StoreException classify(String what, SftpException e, ChannelSftp channel) {
        String detail = what + " on " + location() + " failed: " + e.getMessage();
        return switch (e.id) {
            case ChannelSftp.SSH_FX_PERMISSION_DENIED -> StoreException.permanent(detail
                    + " (permission denied for " + config.user() + "; check the folder's owner and permissions)", e);
            case ChannelSftp.SSH_FX_NO_CONNECTION, ChannelSftp.SSH_FX_CONNECTION_LOST -> StoreException.transientFailure(detail, e);
            case ChannelSftp.SSH_FX_OP_UNSUPPORTED -> StoreException.permanent(detail + " (the server does not support this operation)", e);
            default -> e.getCause() != null || !alive(channel)
                    ? StoreException.transientFailure(detail, e)
                    : StoreException.permanent(detail, e);
        };
    }

    // --- paths ------------------------------------------------------------------------------

    private String folder(String relative) {
        return config.path() + "/" + relative;
    }

    private String path(BlobName name) {
        return folder(name.folder()) + "/" + name.name();
    }

    private static void mkdirs(ChannelSftp channel, String dir) throws SftpException {
        List<String> missing = new ArrayList<>();
        String current = dir;
        while (!current.isEmpty() && !current.equals("/")) {
            try {
                SftpATTRS attrs = channel.stat(current);
                if (!attrs.isDir()) {
                    throw new SftpException(ChannelSftp.SSH_FX_FAILURE, current + " exists but is not a folder");
                }
                break;
            } catch (SftpException e) {
                if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                    throw e;
                }
                missing.add(0, current);
                int slash = current.lastIndexOf('/');
                current = slash <= 0 ? "" : current.substring(0, slash);
            }
        }
        for (String m : missing) {
            try {
                channel.mkdir(m);
            } catch (SftpException e) {
                // Another client may have created it in the meantime.
                if (!channel.stat(m).isDir()) {
                    throw e;
                }
            }
        }
    }

    // --- contract ---------------------------------------------------------------------------

    @Override
    public void create() throws StoreException {
        run("create", channel -> {
            mkdirs(channel, config.path());
            for (BlobType type : BlobType.values()) {
                mkdirs(channel, folder(type.folder()));
            }
            return null;
        });
    }

    @Override
    public void save(BlobName name, BlobSource source) throws StoreException {
        String folder = folder(name.folder());
        String target = path(name);
        String temp = folder + "/." + name.name() + ".tmp-" + HexFormat.of().formatHex(random());
        run("save " + name, channel -> {
            boolean uploaded = false;
            try {
                try (SaveStream in = SaveStream.open(name, source)) {
                    channel.put(in, temp, ChannelSftp.OVERWRITE);
                    in.verifyComplete();
                } catch (SftpException e) {
                    if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE || StoreException.findIn(e) != null) {
                        throw e;
                    }
                    mkdirs(channel, folder); // the fan-out folder did not exist yet
                    try (SaveStream in = SaveStream.open(name, source)) {
                        channel.put(in, temp, ChannelSftp.OVERWRITE);
                        in.verifyComplete();
                    }
                }
                uploaded = true;
                try {
                    channel.rename(temp, target);
                } catch (SftpException e) {
                    // Without posix-rename, SFTP refuses to rename over an existing file.
                    if (e.id != ChannelSftp.SSH_FX_FAILURE || !exists(channel, target)) {
                        throw e;
                    }
                    channel.rm(target);
                    channel.rename(temp, target);
                }
                return null;
            } catch (IOException | SftpException | RuntimeException e) {
                if (channel.isConnected() && (uploaded || StoreException.findIn(e) != null)) {
                    try {
                        channel.rm(temp);
                    } catch (SftpException ignored) {
                        // leftover temporary files start with '.' and are never listed
                    }
                }
                throw e;
            }
        });
    }

    private static boolean exists(ChannelSftp channel, String path) throws SftpException {
        try {
            channel.stat(path);
            return true;
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException {
        String path = path(name);
        return withChannel("load " + name, channel -> {
            long size = statSize(channel, name, path);
            long end = range.toEnd() ? size : range.end();
            if (range.offset() > size || end > size) {
                throw StoreException.permanent("range " + range + " of " + name + " exceeds its size " + size, null);
            }
            long length = end - range.offset();
            if (length == 0) {
                return reader.read(new ByteArrayInputStream(new byte[0]));
            }
            try (InputStream in = LoadStream.exactly(channel.get(path, null, range.offset()), name + " " + range, length, true)) {
                return reader.read(in);
            }
        });
    }

    private long statSize(ChannelSftp channel, BlobName name, String path) throws SftpException, StoreException {
        SftpATTRS attrs;
        try {
            attrs = channel.stat(path);
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                throw StoreException.notFound(name, location());
            }
            throw e;
        }
        if (!attrs.isReg()) {
            throw StoreException.permanent(name + " on " + location() + " is not a regular file", null);
        }
        return attrs.getSize();
    }

    @Override
    public BlobInfo stat(BlobName name) throws StoreException {
        return run("stat " + name, channel -> new BlobInfo(name, statSize(channel, name, path(name))));
    }

    @Override
    public void list(BlobType type, Consumer<BlobInfo> consumer) throws StoreException {
        run("list " + type.folder(), channel -> {
            String dir = folder(type.folder());
            if (type.fanOut()) {
                List<String> subs = new ArrayList<>();
                listFolder(channel, dir, entry -> {
                    if (entry.getAttrs().isDir() && entry.getFilename().length() == 2) {
                        subs.add(entry.getFilename());
                    }
                });
                for (String sub : subs) {
                    listFiles(channel, type, dir + "/" + sub, sub, consumer);
                }
            } else {
                listFiles(channel, type, dir, null, consumer);
            }
            return null;
        });
    }

    private static void listFiles(ChannelSftp channel, BlobType type, String dir, String prefix, Consumer<BlobInfo> consumer)
            throws SftpException {
        listFolder(channel, dir, entry -> {
            String file = entry.getFilename();
            if (entry.getAttrs().isReg() && BlobName.isValid(type, file) && (prefix == null || file.startsWith(prefix))) {
                consumer.accept(new BlobInfo(BlobName.of(type, file), entry.getAttrs().getSize()));
            }
        });
    }

    private static void listFolder(ChannelSftp channel, String dir, Consumer<ChannelSftp.LsEntry> consumer) throws SftpException {
        try {
            channel.ls(dir, entry -> {
                consumer.accept(entry);
                return ChannelSftp.LsEntrySelector.CONTINUE;
            });
        } catch (SftpException e) {
            if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                throw e;
            }
        }
    }

    @Override
    public void delete(BlobName name) throws StoreException {
        run("delete " + name, channel -> {
            try {
                channel.rm(path(name));
            } catch (SftpException e) {
                if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public void close() {
        Session s;
        synchronized (this) {
            closed = true;
            s = session;
            session = null;
        }
        dropIdleChannels();
        if (s != null) {
            s.disconnect();
        }
    }

    private <T> T run(String what, Call<T> call) throws StoreException {
        try {
            return withChannel(what, call);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw StoreException.transientFailure(what + " on " + location() + " failed: " + e.getMessage(), e);
        }
    }

    private static byte[] random() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return location();
    }
}
