package org.ciphersync.vault.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.chain.ComputerId;

/**
 * This computer's vault settings, {@code <config>/ciphersync/vault.json}: which vault, its
 * identity in the chain, and the settings of its safety guards. Contains no secret.
 *
 * @param location         the vault location (a folder path for the local backend)
 * @param vaultId          the vault's id
 * @param computer         this computer's id in the chain
 * @param computerName     shown in {@code vault chain} and in conflict file names
 * @param allowOtherUser   setting {@code allow-other-user}: down-sync data up-synced under another user name (V8)
 * @param massDeleteMinFiles the mass-delete guard triggers only above this many deletions
 * @param massDeleteRatio  … and when more than this share of the tracked files would be deleted
 */
public record ComputerConfig(String location, String vaultId, ComputerId computer, String computerName,
                             boolean allowOtherUser, int massDeleteMinFiles, double massDeleteRatio) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ComputerConfig {
        Objects.requireNonNull(location, "location == null");
        Objects.requireNonNull(vaultId, "vaultId == null");
        Objects.requireNonNull(computer, "computer == null");
        Objects.requireNonNull(computerName, "computerName == null");
    }

    public static ComputerConfig of(String location, String vaultId, ComputerId computer, String computerName) {
        return new ComputerConfig(location, vaultId, computer, computerName, false, 10, 0.5);
    }

    public ComputerConfig withAllowOtherUser(boolean allow) {
        return new ComputerConfig(location, vaultId, computer, computerName, allow, massDeleteMinFiles, massDeleteRatio);
    }

    /** Reads the config, or fails with REFUSED telling how to set this computer up. */
    public static ComputerConfig load(StateDirs dirs) {
        Path f = dirs.computerConfigFile();
        if (!Files.exists(f)) {
            throw new VaultException(VaultException.Kind.REFUSED, "this computer is not connected to a vault ("
                    + f + " does not exist); run 'ciphersync vault init LOCATION' or 'ciphersync vault join LOCATION'");
        }
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(f));
            return new ComputerConfig(n.path("location").asText(), n.path("vault").asText(), ComputerId.of(n.path("computer").asText()),
                    n.path("computerName").asText(), n.path("allow-other-user").asBoolean(false),
                    n.path("mass-delete-min-files").asInt(10), n.path("mass-delete-ratio").asDouble(0.5));
        } catch (IOException | IllegalArgumentException e) {
            throw new VaultException(VaultException.Kind.REFUSED, "cannot read " + f + ": " + e.getMessage()
                    + " (fix or remove the file and join the vault again)", e);
        }
    }

    public static boolean exists(StateDirs dirs) {
        return Files.exists(dirs.computerConfigFile());
    }

    public void save(StateDirs dirs) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("location", location);
        o.put("vault", vaultId);
        o.put("computer", computer.hex());
        o.put("computerName", computerName);
        o.put("allow-other-user", allowOtherUser);
        o.put("mass-delete-min-files", massDeleteMinFiles);
        o.put("mass-delete-ratio", massDeleteRatio);
        AtomicFiles.write(dirs.computerConfigFile(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
    }
}
