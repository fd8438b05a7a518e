package org.ciphersync.cli;

import picocli.CommandLine;

/** Version string from the jar manifest (or "dev" when run from classes). */
public final class Version implements CommandLine.IVersionProvider {
    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ciphersync " + current() + " (Java " + Runtime.version() + ")"};
    }
}
