package org.ciphersync.crypto.pake;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.math.BigInteger;
import org.bouncycastle.crypto.agreement.ecjpake.ECSchnorrZKP;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Rebuilds Bouncy Castle's {@link ECSchnorrZKP} from received bytes. BC 1.86 gives the class no
 * public constructor (its J-PAKE classes assume both participants live in one JVM), so the
 * package-private {@code ECSchnorrZKP(ECPoint, BigInteger)} is reached by reflection, once, here.
 * On the class path this needs nothing; on the module path add
 * {@code --add-opens org.bouncycastle.provider/org.bouncycastle.crypto.agreement.ecjpake=org.ciphersync.crypto}.
 * No cryptography happens here: the proof is verified by BC's own {@code ECJPAKEParticipant}.
 */
final class SchnorrProofs {
    private static final MethodHandle CONSTRUCTOR = find();

    private SchnorrProofs() {
    }

    private static MethodHandle find() {
        try {
            var c = ECSchnorrZKP.class.getDeclaredConstructor(ECPoint.class, BigInteger.class);
            c.setAccessible(true);
            return MethodHandles.lookup().unreflectConstructor(c)
                    .asType(MethodType.methodType(ECSchnorrZKP.class, ECPoint.class, BigInteger.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach Bouncy Castle's ECSchnorrZKP constructor; on the module path add "
                    + "--add-opens org.bouncycastle.provider/org.bouncycastle.crypto.agreement.ecjpake=ALL-UNNAMED", e);
        }
    }

    static ECSchnorrZKP of(ECPoint v, BigInteger r) {
        try {
            return (ECSchnorrZKP) CONSTRUCTOR.invokeExact(v, r);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot build ECSchnorrZKP", t);
        }
    }
}
