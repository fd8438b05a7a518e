package org.ciphersync.core.apply;

import java.time.Duration;
import java.util.List;

/**
 * The results of applying a plan: one per action, in the order they were applied.
 *
 * @param results      per action
 * @param bytesWritten content bytes written in total
 * @param elapsed      wall time of the apply
 */
public record ApplyReport(List<ItemResult> results, long bytesWritten, Duration elapsed) {
    public ApplyReport {
        results = List.copyOf(results);
    }

    public long count(ItemResult.Outcome o) {
        return results.stream().filter(r -> r.outcome() == o).count();
    }

    public boolean allOk() {
        return results.stream().allMatch(ItemResult::ok);
    }
}
