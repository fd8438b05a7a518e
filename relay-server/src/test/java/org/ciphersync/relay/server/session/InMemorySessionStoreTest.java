package org.ciphersync.relay.server.session;

class InMemorySessionStoreTest extends SessionStoreContract {

    @Override
    protected SessionStore newStore() {
        return new InMemorySessionStore();
    }
}
