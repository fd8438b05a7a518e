package org.ciphersync.core.fs;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The nine POSIX permission bits as an int ({@code rwxrwxrwx}, e.g. {@code 0755}) and as the JDK's
 * permission set: the one conversion every module that reads or writes modes uses. Bits above
 * {@code 0777} (setuid, setgid, sticky) are not represented.
 */
public final class PosixMode {
    private PosixMode() {
    }

    /** The permission set of {@code mode}'s low nine bits. */
    public static Set<PosixFilePermission> permissions(int mode) {
        EnumSet<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) { // OWNER_READ (0400) … OTHERS_EXECUTE (0001)
            if ((mode & bit(p)) != 0) {
                s.add(p);
            }
        }
        return s;
    }

    /** The bits of {@code perms}. */
    public static int bits(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= bit(p);
        }
        return m;
    }

    /**
     * The mode a folder has while a run still writes into it: {@code mode} plus the owner's read,
     * write and search bits. A copied folder gets its recorded mode only after its contents (as
     * rsync does), so a read-only source folder ({@code 0555}) can be copied by its owner.
     */
    public static int whileFilling(int mode) {
        return mode < 0 ? mode : mode | 0700;
    }

    private static int bit(PosixFilePermission p) {
        return 0400 >> p.ordinal();
    }
}
