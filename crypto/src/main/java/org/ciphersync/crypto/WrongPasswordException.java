package org.ciphersync.crypto;

/** A password or passphrase did not open what it should protect (or the protected data was modified). */
public class WrongPasswordException extends AuthenticationFailedException {
    private static final long serialVersionUID = 1L;

    public WrongPasswordException(String message) {
        super(message);
    }
}
