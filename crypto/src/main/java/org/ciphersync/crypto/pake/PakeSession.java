package org.ciphersync.crypto.pake;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKECurve;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKECurves;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKEParticipant;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound1Payload;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKERound2Payload;
import org.bouncycastle.crypto.agreement.ecjpake.ECSchnorrZKP;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.ciphersync.crypto.MalformedCiphertextException;
import org.ciphersync.crypto.PakeFailedException;
import org.ciphersync.crypto.identity.Identity;
import org.ciphersync.crypto.identity.IdentityPublicKeys;
import org.ciphersync.crypto.kdf.Hkdf;
import org.ciphersync.crypto.kdf.KeyLabel;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.crypto.secret.SecretBytes;
import org.ciphersync.crypto.secret.SessionPasswords;

/**
 * One side of a PAKE run that admits a joiner into a session: Bouncy Castle's EC J-PAKE on P-256
 * with SHA-256, bound to the session ID and both identities, with explicit key confirmation.
 * Transport-agnostic: every round is a {@code byte[]} the session layer carries over the relay.
 *
 * <pre>
 * both sides:  m1 = round1()            → send; receiveRound1(peer m1)
 *              m2 = round2()            → send; receiveRound2(peer m2)
 *              m3 = confirmation()      → send; result = receiveConfirmation(peer m3)
 * </pre>
 *
 * Any failure ends the run ({@link PakeFailedException}); a new run needs a new session object.
 * A wrong password is detected on both sides in the last step and gives a man in the middle
 * exactly one online guess. Not thread-safe. See {@code package-info} for the transcript.
 */
public final class PakeSession {
    /** Message format version. */
    static final int VERSION = 1;
    static final int TYPE_ROUND1 = 1;
    static final int TYPE_ROUND2 = 2;
    static final int TYPE_ROUND3 = 3;
    static final int POINT = 33;
    static final int SCALAR = 32;
    static final int ZKP = POINT + SCALAR;
    /** Length of a round-1 message. */
    public static final int ROUND1_LENGTH = 3 + IdentityPublicKeys.ENCODED_LENGTH + 2 * POINT + 2 * ZKP;
    /** Length of a round-2 message. */
    public static final int ROUND2_LENGTH = 3 + POINT + ZKP;
    /** Length of a confirmation message. */
    public static final int ROUND3_LENGTH = 3 + 32 + 64;
    /** Longest session ID accepted. */
    public static final int MAX_SESSION_ID = 256;
    private static final byte[] TRANSCRIPT_DOMAIN = "ciphersync-pake-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONFIRM_DOMAIN = "ciphersync/v1/pake/confirm".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIGNATURE_DOMAIN = "ciphersync/v1/pake/signature".getBytes(StandardCharsets.US_ASCII);
    private static final ECJPAKECurve CURVE = ECJPAKECurves.NIST_P256;

    private enum Step { OPEN, SENT3, DONE, FAILED }

    private final PakeRole role;
    private final String sessionId;
    private final Identity self;
    private final ECJPAKEParticipant participant;
    private Step step = Step.OPEN;
    private boolean sent1;
    private boolean got1;
    private boolean sent2;
    private boolean got2;
    private final byte[][] round1 = new byte[3][];
    private final byte[][] round2 = new byte[3][];
    private IdentityPublicKeys peerIdentity;
    private byte[] transcriptHash;
    private SecretBytes prk;

    private PakeSession(PakeRole role, String sessionId, Password password, Identity self, SecureRandom random) {
        this.role = Objects.requireNonNull(role, "role == null");
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId == null");
        this.self = Objects.requireNonNull(self, "self == null");
        Objects.requireNonNull(password, "password == null");
        Objects.requireNonNull(random, "random == null");
        int idLen = sessionId.getBytes(StandardCharsets.UTF_8).length;
        if (idLen == 0 || idLen > MAX_SESSION_ID) {
            throw new IllegalArgumentException("session ID is " + idLen + " bytes; expected 1.." + MAX_SESSION_ID);
        }
        try (Password canonical = SessionPasswords.canonicalize(password)) {
            if (canonical.isEmpty()) {
                throw new IllegalArgumentException("session password is empty");
            }
            this.participant = new ECJPAKEParticipant(participantId(role, sessionId), canonical.expose(), CURVE,
                    new SHA256Digest(), random);
        }
    }

    /** The side that admits the joiner (it knows the session password because it created or holds it). */
    public static PakeSession creator(String sessionId, Password password, Identity self, SecureRandom random) {
        return new PakeSession(PakeRole.CREATOR, sessionId, password, self, random);
    }

    /** The candidate joining with the session ID and password typed by the person. */
    public static PakeSession joiner(String sessionId, Password password, Identity self, SecureRandom random) {
        return new PakeSession(PakeRole.JOINER, sessionId, password, self, random);
    }

    public PakeRole role() {
        return role;
    }

    private static String participantId(PakeRole role, String sessionId) {
        return "ciphersync-pake-v1/" + role.label + "/" + sessionId;
    }

    /** This side's round-1 message ({@value #ROUND1_LENGTH} bytes). Call once, first. */
    public byte[] round1() {
        require(!sent1 && step != Step.FAILED, "round1() may be called once, first");
        ECJPAKERound1Payload p = participant.createRound1PayloadToSend();
        byte[] m = new byte[ROUND1_LENGTH];
        header(m, TYPE_ROUND1, role);
        int o = 3;
        byte[] id = self.publicKeys().encode();
        System.arraycopy(id, 0, m, o, id.length);
        o += id.length;
        o = putPoint(m, o, p.getGx1());
        o = putPoint(m, o, p.getGx2());
        o = putZkp(m, o, p.getKnowledgeProofForX1());
        putZkp(m, o, p.getKnowledgeProofForX2());
        round1[role.code] = m.clone();
        sent1 = true;
        return m;
    }

    /** Validates the peer's round-1 message (its identity, points and Schnorr proofs). */
    public void receiveRound1(byte[] message) throws PakeFailedException {
        require(sent1 && !got1 && step != Step.FAILED, "receiveRound1 must follow round1() and come once");
        try {
            checkHeader(message, ROUND1_LENGTH, TYPE_ROUND1);
            int o = 3;
            IdentityPublicKeys peer = IdentityPublicKeys.decode(message, o);
            o += IdentityPublicKeys.ENCODED_LENGTH;
            ECPoint gx1 = point(message, o);
            ECPoint gx2 = point(message, o + POINT);
            ECSchnorrZKP z1 = zkp(message, o + 2 * POINT);
            ECSchnorrZKP z2 = zkp(message, o + 2 * POINT + ZKP);
            participant.validateRound1PayloadReceived(new ECJPAKERound1Payload(
                    participantId(role.peer(), sessionId), gx1, gx2, z1, z2));
            peerIdentity = peer;
            round1[role.peer().code] = message.clone();
            got1 = true;
        } catch (CryptoException | MalformedCiphertextException | IllegalArgumentException e) {
            throw fail("round 1", e);
        }
    }

    /** This side's round-2 message ({@value #ROUND2_LENGTH} bytes); needs the peer's round 1. */
    public byte[] round2() {
        require(got1 && !sent2 && step != Step.FAILED, "round2() must follow receiveRound1 and come once");
        ECJPAKERound2Payload p = participant.createRound2PayloadToSend();
        byte[] m = new byte[ROUND2_LENGTH];
        header(m, TYPE_ROUND2, role);
        int o = putPoint(m, 3, p.getA());
        putZkp(m, o, p.getKnowledgeProofForX2s());
        round2[role.code] = m.clone();
        sent2 = true;
        return m;
    }

    /** Validates the peer's round-2 message and computes the keys. */
    public void receiveRound2(byte[] message) throws PakeFailedException {
        require(got1 && sent1 && !got2 && step != Step.FAILED, "receiveRound2 must follow receiveRound1 and come once");
        try {
            checkHeader(message, ROUND2_LENGTH, TYPE_ROUND2);
            ECPoint a = point(message, 3);
            ECSchnorrZKP z = zkp(message, 3 + POINT);
            participant.validateRound2PayloadReceived(new ECJPAKERound2Payload(participantId(role.peer(), sessionId), a, z));
            round2[role.peer().code] = message.clone();
            got2 = true;
        } catch (CryptoException | MalformedCiphertextException | IllegalArgumentException e) {
            throw fail("round 2", e);
        }
    }

    /** This side's key-confirmation message ({@value #ROUND3_LENGTH} bytes); needs both rounds done. */
    public byte[] confirmation() {
        require(got2 && sent2 && step != Step.SENT3 && step != Step.DONE && step != Step.FAILED,
                "confirmation() must follow round2() and receiveRound2, once");
        deriveKeys();
        byte[] m = new byte[ROUND3_LENGTH];
        header(m, TYPE_ROUND3, role);
        byte[] tag = tag(role);
        System.arraycopy(tag, 0, m, 3, 32);
        byte[] sig = self.sign(signedMessage(role));
        System.arraycopy(sig, 0, m, 35, 64);
        step = Step.SENT3;
        return m;
    }

    /**
     * Checks the peer's confirmation: its tag (same password, same transcript) and then its
     * signature with the identity it announced in round 1.
     *
     * @throws PakeFailedException "the session password does not match" on a wrong password
     */
    public PakeResult receiveConfirmation(byte[] message) throws PakeFailedException {
        require(step == Step.SENT3, "receiveConfirmation must follow confirmation() and come once");
        try {
            checkHeader(message, ROUND3_LENGTH, TYPE_ROUND3);
        } catch (MalformedCiphertextException e) {
            throw fail("confirmation", e);
        }
        byte[] expected = tag(role.peer());
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(message, 3, 35))) {
            step = Step.FAILED;
            wipe();
            throw new PakeFailedException("the session password does not match (or a message was modified on the way); "
                    + "check the session ID and password and try again");
        }
        if (!peerIdentity.verify(signedMessage(role.peer()), Arrays.copyOfRange(message, 35, 99))) {
            step = Step.FAILED;
            wipe();
            throw new PakeFailedException("the peer's identity signature is invalid: the exchange was tampered with; try again");
        }
        SecretBytes c2j = Hkdf.deriveKey(prk, KeyLabel.PAKE_CHANNEL_CREATOR_TO_JOINER, null);
        SecretBytes j2c = Hkdf.deriveKey(prk, KeyLabel.PAKE_CHANNEL_JOINER_TO_CREATOR, null);
        step = Step.DONE;
        wipe();
        return role == PakeRole.CREATOR
                ? new PakeResult(c2j, j2c, peerIdentity, transcriptHash.clone())
                : new PakeResult(j2c, c2j, peerIdentity, transcriptHash.clone());
    }

    private void deriveKeys() {
        BigInteger k = participant.calculateKeyingMaterial();
        byte[] kBytes = BigIntegers.asUnsignedByteArray(32, k);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(TRANSCRIPT_DOMAIN);
            byte[] id = sessionId.getBytes(StandardCharsets.UTF_8);
            sha.update(new byte[] {(byte) (id.length >>> 8), (byte) id.length});
            sha.update(id);
            sha.update(round1[PakeRole.CREATOR.code]);
            sha.update(round1[PakeRole.JOINER.code]);
            sha.update(round2[PakeRole.CREATOR.code]);
            sha.update(round2[PakeRole.JOINER.code]);
            transcriptHash = sha.digest();
            prk = SecretBytes.adopt(Hkdf.extract(transcriptHash, kBytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        } finally {
            Arrays.fill(kBytes, (byte) 0);
        }
    }

    private byte[] tag(PakeRole who) {
        KeyLabel label = who == PakeRole.CREATOR ? KeyLabel.PAKE_CONFIRM_CREATOR : KeyLabel.PAKE_CONFIRM_JOINER;
        try (SecretBytes kc = Hkdf.deriveKey(prk, label, null)) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(kc.expose(), "HmacSHA256"));
            mac.update(CONFIRM_DOMAIN);
            return mac.doFinal(transcriptHash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    private byte[] signedMessage(PakeRole who) {
        byte[] m = new byte[SIGNATURE_DOMAIN.length + 1 + transcriptHash.length];
        System.arraycopy(SIGNATURE_DOMAIN, 0, m, 0, SIGNATURE_DOMAIN.length);
        m[SIGNATURE_DOMAIN.length] = (byte) who.code;
        System.arraycopy(transcriptHash, 0, m, SIGNATURE_DOMAIN.length + 1, transcriptHash.length);
        return m;
    }

    private void wipe() {
        if (prk != null) {
            prk.close();
        }
    }

    private PakeFailedException fail(String where, Exception cause) {
        step = Step.FAILED;
        wipe();
        return new PakeFailedException("joining failed in " + where
                + ": the peer's message is invalid or was modified on the way (" + cause.getMessage() + "); try again", cause);
    }

    private void require(boolean ok, String rule) {
        if (!ok) {
            throw new IllegalStateException("PAKE step out of order: " + rule);
        }
    }

    private static void header(byte[] m, int type, PakeRole role) {
        m[0] = VERSION;
        m[1] = (byte) type;
        m[2] = (byte) role.code;
    }

    private void checkHeader(byte[] m, int length, int type) throws MalformedCiphertextException {
        Objects.requireNonNull(m, "message == null");
        if (m.length != length) {
            throw new MalformedCiphertextException("message has " + m.length + " bytes, expected " + length);
        }
        if (m[0] != VERSION) {
            throw new MalformedCiphertextException("message version " + (m[0] & 0xff) + " is not " + VERSION);
        }
        if (m[1] != type) {
            throw new MalformedCiphertextException("message type " + (m[1] & 0xff) + " is not " + type);
        }
        if (m[2] != role.peer().code) {
            throw new MalformedCiphertextException("message role " + (m[2] & 0xff) + " is not the peer's role " + role.peer().code);
        }
    }

    private static int putPoint(byte[] m, int o, ECPoint p) {
        byte[] e = p.getEncoded(true);
        if (e.length != POINT) {
            throw new IllegalStateException("unexpected point encoding length " + e.length);
        }
        System.arraycopy(e, 0, m, o, POINT);
        return o + POINT;
    }

    private static int putZkp(byte[] m, int o, ECSchnorrZKP z) {
        o = putPoint(m, o, z.getV());
        BigIntegers.asUnsignedByteArray(z.getr(), m, o, SCALAR);
        return o + SCALAR;
    }

    private static ECPoint point(byte[] m, int o) throws MalformedCiphertextException {
        if (m[o] != 0x02 && m[o] != 0x03) {
            throw new MalformedCiphertextException("point at offset " + o + " is not a compressed point");
        }
        try {
            ECPoint p = CURVE.getCurve().decodePoint(Arrays.copyOfRange(m, o, o + POINT));
            if (p.isInfinity() || !p.isValid()) {
                throw new MalformedCiphertextException("point at offset " + o + " is not on the curve");
            }
            return p;
        } catch (IllegalArgumentException e) {
            throw new MalformedCiphertextException("point at offset " + o + " is invalid");
        }
    }

    private static ECSchnorrZKP zkp(byte[] m, int o) throws MalformedCiphertextException {
        ECPoint v = point(m, o);
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(m, o + POINT, o + ZKP));
        if (r.compareTo(CURVE.getN()) >= 0) {
            throw new MalformedCiphertextException("proof scalar at offset " + (o + POINT) + " is out of range");
        }
        return SchnorrProofs.of(v, r);
    }

    @Override
    public String toString() {
        return "PakeSession[" + role.label + ", session " + sessionId + ", " + step + "]";
    }
}
