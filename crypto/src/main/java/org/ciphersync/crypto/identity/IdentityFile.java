package org.ciphersync.crypto.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.ciphersync.crypto.AuthenticationFailedException;
import org.ciphersync.crypto.CryptoException;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.WrongPasswordException;
import org.ciphersync.crypto.aead.AeadContext;
import org.ciphersync.crypto.aead.Envelope;
import org.ciphersync.crypto.kdf.Argon2idParams;
import org.ciphersync.crypto.kdf.Hkdf;
import org.ciphersync.crypto.kdf.KeyLabel;
import org.ciphersync.crypto.kdf.PasswordKdf;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.crypto.secret.SecretBytes;

/**
 * The identity file of an installation.
 *
 * <pre>
 * 0 4 "csid"   4 1 version 0x01   5 1 protection (0x00 none, 0x01 passphrase)
 * none:       body
 * passphrase: u16 P ‖ Argon2idParams (P bytes) ‖ Envelope(parent = HKDF(Argon2id(passphrase), IDENTITY_FILE),
 *             context = local "identity-file"/"identity" bound to the bytes before the envelope, body)
 * body:       lp16(Ed25519 PKCS#8) ‖ lp16(Ed25519 X.509) ‖ lp16(X25519 PKCS#8) ‖ lp16(X25519 X.509)
 * </pre>
 *
 * Written through a temporary file created with mode 0600 in the same folder, forced to disk,
 * then atomically renamed. On POSIX systems a file that group or others may read is refused, like
 * ssh does, with a message naming the {@code chmod} that fixes it.
 */
public final class IdentityFile {
    /** Largest identity file accepted (hostile input bound). */
    public static final int MAX_FILE_LENGTH = 16 * 1024;
    private static final byte[] MAGIC = {'c', 's', 'i', 'd'};
    private static final byte VERSION = 0x01;
    private static final byte PROTECTION_NONE = 0x00;
    private static final byte PROTECTION_PASSPHRASE = 0x01;
    private static final int MAX_FIELD = 256;

    private IdentityFile() {
    }

    /**
     * Writes {@code identity} to {@code file}, encrypted when {@code passphrase} is non-null and
     * non-empty. {@code kdfParams} null means: calibrate on this machine now.
     */
    public static void save(Path file, Identity identity, Password passphrase, Argon2idParams kdfParams,
                            SecureRandom random) throws IOException {
        byte[] body = body(identity);
        byte[] content;
        try {
            if (passphrase == null || passphrase.isEmpty()) {
                content = new byte[6 + body.length];
                writePrefix(content, PROTECTION_NONE);
                System.arraycopy(body, 0, content, 6, body.length);
            } else {
                Argon2idParams params = kdfParams != null ? kdfParams : PasswordKdf.calibrate(random).params();
                byte[] p = params.encode();
                byte[] prefix = new byte[6 + 2 + p.length];
                writePrefix(prefix, PROTECTION_PASSPHRASE);
                prefix[6] = (byte) (p.length >>> 8);
                prefix[7] = (byte) p.length;
                System.arraycopy(p, 0, prefix, 8, p.length);
                byte[] sealed;
                try (SecretBytes kek = PasswordKdf.derive(passphrase, params);
                     SecretBytes key = Hkdf.deriveKey(kek, KeyLabel.IDENTITY_FILE, null)) {
                    sealed = new Envelope(key, random).seal(context(prefix), body);
                }
                content = new byte[prefix.length + sealed.length];
                System.arraycopy(prefix, 0, content, 0, prefix.length);
                System.arraycopy(sealed, 0, content, prefix.length, sealed.length);
            }
            writeAtomically(file, content);
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    /** True when the file at {@code file} is passphrase-protected (so the caller knows to ask). */
    public static boolean isProtected(Path file) throws IOException, MalformedCiphertextException {
        byte[] data = readBounded(file);
        checkPrefix(data);
        return data[5] == PROTECTION_PASSPHRASE;
    }

    /**
     * Loads an identity.
     *
     * @param passphrase required when the file is protected, ignored otherwise
     * @throws WrongPasswordException       wrong passphrase (or a modified file)
     * @throws MalformedCiphertextException not an identity file, or a damaged one
     * @throws CryptoException              the file is readable by other users, or no passphrase was given
     */
    public static Identity load(Path file, Password passphrase) throws IOException, CryptoException {
        checkPermissions(file);
        byte[] data = readBounded(file);
        checkPrefix(data);
        byte[] body;
        if (data[5] == PROTECTION_NONE) {
            body = Arrays.copyOfRange(data, 6, data.length);
        } else {
            if (passphrase == null || passphrase.isEmpty()) {
                throw new CryptoException("identity file " + file + " is protected by a passphrase; enter it to continue");
            }
            if (data.length < 8) {
                throw new MalformedCiphertextException("identity file " + file + " is truncated");
            }
            int p = ((data[6] & 0xff) << 8) | (data[7] & 0xff);
            if (8 + p > data.length) {
                throw new MalformedCiphertextException("identity file " + file + " is truncated");
            }
            Argon2idParams params = Argon2idParams.decode(data, 8, p);
            byte[] prefix = Arrays.copyOfRange(data, 0, 8 + p);
            try (SecretBytes kek = PasswordKdf.derive(passphrase, params);
                 SecretBytes key = Hkdf.deriveKey(kek, KeyLabel.IDENTITY_FILE, null)) {
                body = new Envelope(key).open(context(prefix), Arrays.copyOfRange(data, 8 + p, data.length));
            } catch (AuthenticationFailedException e) {
                throw new WrongPasswordException("wrong passphrase for identity file " + file
                        + " (or the file was modified); try again");
            }
        }
        try {
            return parseBody(body, file);
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    private static AeadContext context(byte[] prefix) {
        return AeadContext.local("identity-file", "identity", prefix);
    }

    private static void writePrefix(byte[] out, byte protection) {
        System.arraycopy(MAGIC, 0, out, 0, 4);
        out[4] = VERSION;
        out[5] = protection;
    }

    private static void checkPrefix(byte[] data) throws MalformedCiphertextException {
        if (data.length < 6 || !Arrays.equals(data, 0, 4, MAGIC, 0, 4)) {
            throw new MalformedCiphertextException("not a ciphersync identity file (bad magic bytes)");
        }
        if (data[4] != VERSION) {
            throw new MalformedCiphertextException("identity file has version " + (data[4] & 0xff)
                    + "; this ciphersync reads version 1");
        }
        if (data[5] != PROTECTION_NONE && data[5] != PROTECTION_PASSPHRASE) {
            throw new MalformedCiphertextException("identity file has unknown protection " + (data[5] & 0xff));
        }
    }

    private static byte[] body(Identity identity) {
        byte[][] fields = {
            identity.signingKey().getEncoded(),
            x509(IdentityPublicKeys.ED25519_X509_PREFIX, identity.publicKeys().ed25519()),
            identity.agreementKey().getEncoded(),
            x509(IdentityPublicKeys.X25519_X509_PREFIX, identity.publicKeys().x25519()),
        };
        int len = 0;
        for (byte[] f : fields) {
            len += 2 + f.length;
        }
        byte[] out = new byte[len];
        int o = 0;
        for (byte[] f : fields) {
            out[o] = (byte) (f.length >>> 8);
            out[o + 1] = (byte) f.length;
            System.arraycopy(f, 0, out, o + 2, f.length);
            o += 2 + f.length;
            Arrays.fill(f, (byte) 0);
        }
        return out;
    }

    private static byte[] x509(byte[] prefix, byte[] raw) {
        byte[] der = new byte[prefix.length + raw.length];
        System.arraycopy(prefix, 0, der, 0, prefix.length);
        System.arraycopy(raw, 0, der, prefix.length, raw.length);
        return der;
    }

    private static Identity parseBody(byte[] body, Path file) throws MalformedCiphertextException {
        byte[][] fields = new byte[4][];
        int o = 0;
        for (int i = 0; i < 4; i++) {
            if (body.length - o < 2) {
                throw new MalformedCiphertextException("identity file " + file + " is truncated (field " + i + ")");
            }
            int len = ((body[o] & 0xff) << 8) | (body[o + 1] & 0xff);
            if (len > MAX_FIELD || body.length - o - 2 < len) {
                throw new MalformedCiphertextException("identity file " + file + " field " + i + " has impossible length " + len);
            }
            fields[i] = Arrays.copyOfRange(body, o + 2, o + 2 + len);
            o += 2 + len;
        }
        if (o != body.length) {
            throw new MalformedCiphertextException("identity file " + file + " has " + (body.length - o) + " trailing bytes");
        }
        try {
            PrivateKey sign = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(fields[0]));
            PublicKey signPub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(fields[1]));
            PrivateKey agree = KeyFactory.getInstance("X25519").generatePrivate(new PKCS8EncodedKeySpec(fields[2]));
            PublicKey agreePub = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(fields[3]));
            Identity id = new Identity(sign, agree, new IdentityPublicKeys(
                    IdentityPublicKeys.rawOf(signPub, IdentityPublicKeys.ED25519_X509_PREFIX),
                    IdentityPublicKeys.rawOf(agreePub, IdentityPublicKeys.X25519_X509_PREFIX)));
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            if (!id.publicKeys().verify(probe, id.sign(probe))) {
                throw new MalformedCiphertextException("identity file " + file + " is damaged: its signing key halves do not match");
            }
            return id;
        } catch (InvalidKeySpecException | IllegalStateException e) {
            throw new MalformedCiphertextException("identity file " + file + " holds an invalid key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519/X25519 are not available in this JDK", e);
        } finally {
            Arrays.fill(fields[0], (byte) 0);
            Arrays.fill(fields[2], (byte) 0);
        }
    }

    private static byte[] readBounded(Path file) throws IOException, MalformedCiphertextException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > MAX_FILE_LENGTH) {
                throw new MalformedCiphertextException("identity file " + file + " is " + size
                        + " bytes, more than an identity file can be (" + MAX_FILE_LENGTH + ")");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read fully
            }
            return Arrays.copyOf(buf.array(), buf.position());
        }
    }

    private static void checkPermissions(Path file) throws IOException, CryptoException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        EnumSet<PosixFilePermission> open = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
        open.retainAll(perms);
        if (!open.isEmpty()) {
            throw new CryptoException("identity file " + file + " is accessible by other users (mode "
                    + PosixFilePermissions.toString(perms) + "); run: chmod 600 '" + file + "'");
        }
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        Path tmp = posix
                ? Files.createTempFile(dir, ".identity-", ".tmp", PosixFilePermissions.asFileAttribute(
                        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)))
                : Files.createTempFile(dir, ".identity-", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
            Arrays.fill(content, (byte) 0);
        }
    }
}
