package org.ciphersync.vault.store;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens {@link BlobStore}s for the locations of one or more URI schemes; the service-provider
 * interface that each backend module implements and the composition root registers in a
 * {@link BlobStoreRegistry}.
 */
public interface BlobStoreFactory {

    /** The lowercase schemes this factory opens, e.g. {@code {"webdav", "webdavs"}}. */
    Set<String> schemes();

    /**
     * Opens a store for {@code location}. Does not touch the vault's objects; it MAY connect to
     * check credentials and host keys.
     *
     * @throws StoreException {@code PERMANENT} for a malformed location (the message shows the
     *                        expected form) or missing credentials
     */
    BlobStore open(String location, BackendOptions options) throws StoreException;

    /**
     * {@code location} with every secret (password in the user info, tokens in the query)
     * replaced by {@code ***}, safe to print and log. MUST NOT throw, even for malformed input.
     */
    String redact(String location);

    /** Replaces the password of {@code scheme://user:password@host…} with {@code ***}. */
    static String redactUserInfo(String location) {
        if (location == null) {
            return "";
        }
        Matcher m = USER_INFO.matcher(location);
        String redacted = m.find() ? location.substring(0, m.start(2)) + "***" + location.substring(m.end(2)) : location;
        return SECRET_QUERY.matcher(redacted).replaceAll("$1***");
    }

    /** {@code scheme://user:password@}: group 2 is the password (which may contain ':'). */
    Pattern USER_INFO = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://([^/@:]*):([^/]*)@");
    /** Query parameters that carry secrets. */
    Pattern SECRET_QUERY = Pattern.compile("(?i)([?&][^=&]*(?:secret|pass|token|key|signature|credential)[^=&]*=)[^&]*");
}
