package org.ciphersync.session.profile;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.identity.Fingerprint;
import org.ciphersync.crypto.identity.Identity;
import org.ciphersync.crypto.identity.IdentityFile;
import org.ciphersync.relay.protocol.message.MemberProfile;
import org.ciphersync.session.SessionException;

/**
 * This installation's profile: machine name, e-mail label (S6) and identity keys. Created on first
 * use in {@code $XDG_CONFIG_HOME/ciphersync/profile/} (else {@code ~/.config/ciphersync/profile/}):
 *
 * <pre>
 * identity            IdentityFile (mode 0600, see docs/design.md (Cryptography) §5)
 * profile.properties  machine=… / email=…   (nothing secret)
 * transfers/          files being received in a session (partial files, so a restarted process resumes)
 * </pre>
 *
 * Tests and scripts pass another directory. The identity file is written unprotected (mode 0600,
 * like an ssh key without passphrase) so sessions can start unattended.
 */
public final class Profile implements AutoCloseable {
    static final String IDENTITY_FILE = "identity";
    static final String PROPERTIES_FILE = "profile.properties";

    private final Path directory;
    private final String machineName;
    private final String emailLabel;
    private final Identity identity;

    private Profile(Path directory, String machineName, String emailLabel, Identity identity) {
        this.directory = directory;
        this.machineName = machineName;
        this.emailLabel = emailLabel;
        this.identity = identity;
    }

    /** {@code $XDG_CONFIG_HOME/ciphersync/profile}, or {@code ~/.config/ciphersync/profile}. */
    public static Path defaultDirectory(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("ciphersync").resolve("profile");
    }

    /**
     * Loads the profile in {@code directory}, creating it (with a new identity) on first use.
     *
     * @param machineName  used when creating, or to rename the machine when not null
     * @param emailLabel   used when creating, or to change the label when not null
     */
    public static Profile loadOrCreate(Path directory, String machineName, String emailLabel, SecureRandom random)
            throws SessionException {
        Objects.requireNonNull(directory, "directory == null");
        try {
            Files.createDirectories(directory);
            Path idFile = directory.resolve(IDENTITY_FILE);
            Identity identity;
            if (Files.exists(idFile)) {
                identity = IdentityFile.load(idFile, null);
            } else {
                identity = Identity.generate(random);
                IdentityFile.save(idFile, identity, null, null, random);
            }
            Properties p = new Properties();
            Path props = directory.resolve(PROPERTIES_FILE);
            if (Files.exists(props)) {
                try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
            String machine = machineName != null ? machineName : p.getProperty("machine", defaultMachineName());
            String email = emailLabel != null ? emailLabel : p.getProperty("email", "");
            try {
                new MemberProfile(machine, email, new byte[0]);
            } catch (IllegalArgumentException e) {
                throw new SessionException("the profile in " + directory + " is invalid: " + e.getMessage()
                        + " (fix it with --machine / --email)");
            }
            if (!machine.equals(p.getProperty("machine")) || !email.equals(p.getProperty("email"))) {
                p.setProperty("machine", machine);
                p.setProperty("email", email);
                Path tmp = directory.resolve(PROPERTIES_FILE + ".tmp");
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    p.store(w, "ciphersync profile (shown to the members of your sessions)");
                }
                Files.move(tmp, props, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return new Profile(directory, machine, email, identity);
        } catch (IOException e) {
            throw new SessionException("cannot read or create the profile in " + directory + ": " + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new SessionException("the identity in " + directory.resolve(IDENTITY_FILE) + " cannot be used: " + e.getMessage(), e);
        }
    }

    static String defaultMachineName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h == null || h.isBlank() ? "computer" : (h.length() > 64 ? h.substring(0, 64) : h);
        } catch (IOException e) {
            return "computer";
        }
    }

    public Path directory() {
        return directory;
    }

    public String machineName() {
        return machineName;
    }

    public String emailLabel() {
        return emailLabel;
    }

    public Identity identity() {
        return identity;
    }

    public Fingerprint fingerprint() {
        return identity.fingerprint();
    }

    /** What the relay shows the other members: machine name, e-mail label, identity public keys. */
    public MemberProfile memberProfile() {
        return new MemberProfile(machineName, emailLabel, identity.publicKeys().encode());
    }

    /** Whether the identity file is private to its owner (mode 0600). */
    public boolean identityFileIsPrivate() throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(IDENTITY_FILE))).equals("rw-------");
    }

    @Override
    public void close() {
        identity.close();
    }

    @Override
    public String toString() {
        return "Profile[" + machineName + ", " + emailLabel + ", " + identity.fingerprint() + "]";
    }
}
